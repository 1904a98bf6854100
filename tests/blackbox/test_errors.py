"""Each dialect's 404/405/400/413/415/431 answers, exact bodies over real sockets.
(Exact 400/415/500 bodies for every dialect are also covered by the unit tests in
tests/dialects, which can add test-only routes.)"""

import re
import unittest

import requests

from harness import AtriumServer, raw_request, wait_closed

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
TS_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

HEALTH = {"unamentis": "/health", "unichat": "/api/health", "secondbrain": "/api/health",
          "pisovereign": "/health", "mira": "/api/v1/health"}


def expected(dialect, status, kind, message, request_id):
    """The exact error body each dialect's spec documents, for a generic error."""
    if dialect == "unichat":
        return {"error": message}
    if dialect == "unamentis":
        return {"error": kind, "message": message, "code": kind.upper(), "details": {}}
    if dialect == "pisovereign":
        codes = {"not_found": "NOT_FOUND", "method_not_allowed": "METHOD_NOT_ALLOWED",
                 "payload_too_large": "PAYLOAD_TOO_LARGE", "headers_too_large": "HEADERS_TOO_LARGE",
                 "bad_request": "BAD_REQUEST"}
        return {"error": {"code": codes[kind], "message": message, "details": {}, "request_id": request_id}}
    if dialect == "mira":
        codes = {"not_found": "NOT_FOUND", "method_not_allowed": "METHOD_NOT_ALLOWED",
                 "payload_too_large": "PAYLOAD_TOO_LARGE", "headers_too_large": "HEADERS_TOO_LARGE",
                 "bad_request": "BAD_REQUEST"}
        return {"error": {"code": codes[kind], "message": message, "details": {"timestamp": "<ts>"},
                          "request_id": request_id}}
    if dialect == "secondbrain":
        codes = {"not_found": ("NOT_FOUND", "NF_001"), "method_not_allowed": ("METHOD_NOT_ALLOWED", "REQ_001"),
                 "payload_too_large": ("VALIDATION_ERROR", "VAL_004"),
                 "headers_too_large": ("VALIDATION_ERROR", "VAL_005"),
                 "bad_request": ("VALIDATION_ERROR", "VAL_001")}
        t, c = codes[kind]
        return {"error": {"type": t, "message": message, "code": c, "details": {}, "requestId": request_id,
                          "timestamp": "<ts>"}}
    raise AssertionError(dialect)


class ErrorShapeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"server": {"max_header_bytes": 4096}}).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        cls.srv.cleanup()
        assert code == 0, code

    def check(self, dialect, response, status, kind, message):
        self.assertEqual(response.status_code if hasattr(response, "status_code") else response[0], status)
        body = response.json() if hasattr(response, "json") else __import__("json").loads(response[2])
        headers = response.headers if hasattr(response, "headers") else response[1]
        rid = headers.get("X-Request-Id") or headers.get("x-request-id")
        self.assertRegex(rid, UUID)
        want = expected(dialect, status, kind, message, rid)
        # Timestamps vary; check their format, then compare the rest exactly.
        if dialect == "mira":
            self.assertRegex(body["error"]["details"]["timestamp"], TS)
            body["error"]["details"]["timestamp"] = "<ts>"
        if dialect == "secondbrain":
            self.assertRegex(body["error"]["timestamp"], TS_MS)
            body["error"]["timestamp"] = "<ts>"
        self.assertEqual(body, want)

    def test_unknown_route_is_404_in_each_shape(self):
        for dialect in HEALTH:
            with self.subTest(dialect=dialect):
                r = requests.get(self.srv.url(dialect, "/no/such/route"), timeout=10)
                self.check(dialect, r, 404, "not_found", "Not found")

    def test_wrong_method_is_405_with_allow(self):
        for dialect, path in HEALTH.items():
            with self.subTest(dialect=dialect):
                r = requests.delete(self.srv.url(dialect, path), timeout=10)
                self.check(dialect, r, 405, "method_not_allowed", "Method not allowed")
                self.assertEqual(r.headers["Allow"], "GET, HEAD, OPTIONS")

    def test_oversize_body_is_413_before_the_body_is_read(self):
        # Content-Length over the default 64 KiB route limit: answered from the header.
        for dialect, path in HEALTH.items():
            with self.subTest(dialect=dialect):
                with self.srv.connect(dialect) as sock:
                    head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            f"Content-Length: {10 * 1024 * 1024}\r\n\r\n").encode()
                    resp = raw_request(sock, head)
                    self.check(dialect, resp, 413, "payload_too_large", "Request body exceeds 65536 bytes")
                    self.assertEqual(resp[1]["connection"], "close")
                    self.assertTrue(wait_closed(sock, 5))

    def test_oversize_chunked_body_is_413_while_streaming(self):
        with self.srv.connect("unichat") as sock:
            sock.sendall(b"POST /api/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"x" * 16384
            status = None
            try:
                for _ in range(10):  # 160 KiB in total, over the 64 KiB limit
                    sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            status, headers, body = raw_request(sock, b"")
            self.assertEqual(status, 413)
            self.assertEqual(body, b'{"error":"Request body exceeds 65536 bytes"}')

    def test_413_through_curl_like_clients(self):
        r = requests.post(self.srv.url("pisovereign", "/health"), data=b"x" * 200000, timeout=10)
        self.check("pisovereign", r, 413, "payload_too_large", "Request body exceeds 65536 bytes")

    def test_oversize_header_is_431(self):
        for dialect, path in HEALTH.items():
            with self.subTest(dialect=dialect):
                with self.srv.connect(dialect) as sock:
                    req = f"GET {path} HTTP/1.1\r\nHost: x\r\nX-Big: {'a' * 8000}\r\n\r\n".encode()
                    resp = raw_request(sock, req)
                    self.check(dialect, resp, 431, "headers_too_large", "Request header fields too large")

    def test_malformed_http_is_400_and_closed(self):
        for dialect in HEALTH:
            with self.subTest(dialect=dialect):
                with self.srv.connect(dialect) as sock:
                    resp = raw_request(sock, b"GET /health HTTP/1.1\r\nHost x no colon\r\n\r\n")
                    self.check(dialect, resp, 400, "bad_request", "Malformed HTTP request")
                    self.assertTrue(wait_closed(sock, 5))

    def test_malformed_json_and_wrong_content_type_on_a_json_route(self):
        url = self.srv.url("unamentis", "/api/logs")
        r = requests.post(url, data=b'{"message": "unterminated', headers={"Content-Type": "application/json"},
                          timeout=10)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json(), {"error": "invalid_json", "message": "Malformed JSON in request body",
                                    "code": "INVALID_JSON", "details": {}})
        r = requests.post(url, data=b"message=hi", headers={"Content-Type": "application/x-www-form-urlencoded"},
                          timeout=10)
        self.assertEqual(r.status_code, 415)
        self.assertEqual(r.json(), {"error": "unsupported_media_type",
                                    "message": "Content-Type must be application/json",
                                    "code": "UNSUPPORTED_MEDIA_TYPE", "details": {}})
        r = requests.post(url, json={"level": "INFO"}, timeout=10)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json(), {"error": "missing_field", "message": "message is required",
                                    "code": "MISSING_FIELD", "details": {"field": "message"}})

    def test_nothing_is_lost_after_bad_requests(self):
        url = self.srv.url("unamentis", "/api/logs")
        self.assertEqual(requests.post(url, json={"message": "kept", "label": "errors-test"}, timeout=10).status_code,
                         200)
        requests.post(url, data=b"{bad", headers={"Content-Type": "application/json"}, timeout=10)
        requests.post(url, data=b"x" * 2000000, headers={"Content-Type": "application/json"}, timeout=10)
        logs = requests.get(url, params={"label": "errors-test"}, timeout=10).json()
        self.assertEqual([e["message"] for e in logs["logs"]], ["kept"])


if __name__ == "__main__":
    unittest.main()
