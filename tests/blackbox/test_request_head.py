"""The request head over real sockets: every byte and field counted (431, 414), framing
that could smuggle a second request refused and the connection closed (RFC 9112 §6.3),
Host required, and secrets in query strings kept out of the access log."""

import json
import time
import unittest

import requests

from harness import AtriumServer, raw_request, wait_closed


def read_all(sock, timeout=5.0):
    """Everything the server sends until it closes."""
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk
    except (ConnectionResetError, BrokenPipeError):
        return data


class RequestHeadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer().start()  # default limits: 16 KiB head, 100 fields, 8 KiB request line

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        assert code == 0, code
        assert "ERROR: AddressSanitizer" not in log and "runtime error:" not in log, log

    def refused(self, dialect, data):
        """Sends `data`, returns (status, headers, body) and checks the connection is closed
        with nothing after the one answer (no smuggled second response)."""
        with self.srv.connect(dialect) as sock:
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            everything = read_all(sock, 10)
        head, _, rest = everything.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        self.assertEqual(len(rest), length, "more than one response: %r" % everything)
        self.assertEqual(headers.get("connection"), "close")
        return status, headers, rest

    def test_transfer_encoding_not_ending_in_chunked_is_400_and_the_body_is_not_a_request(self):
        for coding in ("gzip", "chunked, gzip", "identity", "xchunked", ""):
            with self.subTest(coding=coding):
                status, _, body = self.refused("unichat", (
                    f"GET /api/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: {coding}\r\n\r\n"
                    "GET /api/smuggled HTTP/1.1\r\nHost: x\r\n\r\n").encode())
                self.assertEqual(status, 400)
                self.assertEqual(json.loads(body), {"error": "Invalid Transfer-Encoding"})

    def test_a_coding_before_chunked_is_501(self):
        status, _, body = self.refused("unichat", (
            b"POST /api/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
            b"0\r\n\r\nGET /api/smuggled HTTP/1.1\r\nHost: x\r\n\r\n"))
        self.assertEqual(status, 501)
        self.assertEqual(json.loads(body), {"error": "Unsupported Transfer-Encoding"})

    def test_content_length_with_transfer_encoding_is_400_in_either_order(self):
        for fields in ("Content-Length: 5\r\nTransfer-Encoding: chunked", "Transfer-Encoding: gzip\r\nContent-Length: 5",
                       "Transfer-Encoding: chunked\r\nContent-Length: 5"):
            with self.subTest(fields=fields):
                status, _, body = self.refused("unamentis", (
                    f"POST /health HTTP/1.1\r\nHost: x\r\n{fields}\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n"
                    "Host: x\r\n\r\n").encode())
                self.assertEqual(status, 400)
                self.assertEqual(json.loads(body), {"error": "bad_request",
                                                    "message": "Content-Length and Transfer-Encoding together",
                                                    "code": "BAD_REQUEST", "details": {}})

    def test_duplicate_or_differing_content_length_is_400(self):
        for fields in ("Content-Length: 5\r\nContent-Length: 5", "Content-Length: 5\r\nContent-Length: 6",
                       "Content-Length: 5, 5"):
            with self.subTest(fields=fields):
                status, _, body = self.refused("unichat", (
                    f"POST /api/health HTTP/1.1\r\nHost: x\r\n{fields}\r\n\r\nhello").encode())
                self.assertEqual(status, 400)
                self.assertEqual(json.loads(body), {"error": "Invalid Content-Length"})

    def test_http11_without_host_or_with_two_is_400(self):
        status, _, body = self.refused("unichat", b"GET /api/health HTTP/1.1\r\nAccept: */*\r\n\r\n")
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body), {"error": "Missing Host header"})
        status, _, body = self.refused("unichat", b"GET /api/health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body), {"error": "More than one Host header"})
        # HTTP/1.0 may leave it out.
        with self.srv.connect("unichat") as sock:
            status, _, _ = raw_request(sock, b"GET /api/health HTTP/1.0\r\n\r\n")
            self.assertEqual(status, 200)

    def test_every_byte_of_the_head_counts(self):
        # 10,000 small fields (88 KB) and 5,000 `a: b` fields (25 KB): each line is small,
        # the head is not (and has too many fields).
        for fields in ("".join(f"X-F{i}: v\r\n" for i in range(10000)), "a: b\r\n" * 5000):
            with self.subTest(size=len(fields)):
                status, _, body = self.refused("pisovereign", (
                    f"GET /health HTTP/1.1\r\nHost: x\r\n{fields}\r\n").encode())
                self.assertEqual(status, 431)
                self.assertEqual(json.loads(body)["error"]["code"], "HEADERS_TOO_LARGE")
        # 90 fields of 200 bytes: within the field count, over 16 KiB in all.
        fields = "".join(f"X-F{i}: {'v' * 190}\r\n" for i in range(90))
        status, _, body = self.refused("pisovereign", f"GET /health HTTP/1.1\r\nHost: x\r\n{fields}\r\n".encode())
        self.assertEqual(status, 431)
        self.assertEqual(json.loads(body)["error"]["message"], "Request header fields too large")
        # The same head under 16 KiB is served.
        fields = "".join(f"X-F{i}: {'v' * 150}\r\n" for i in range(90))
        with self.srv.connect("pisovereign") as sock:
            status, _, _ = raw_request(sock, f"GET /health HTTP/1.1\r\nHost: x\r\n{fields}\r\n".encode())
            self.assertEqual(status, 200)

    def test_more_than_100_fields_is_431(self):
        fields = "a: b\r\n" * 100
        with self.srv.connect("unichat") as sock:
            status, _, _ = raw_request(sock, f"GET /api/health HTTP/1.1\r\nHost: x\r\n{fields[6:]}\r\n".encode())
            self.assertEqual(status, 200)  # 100 fields with Host
        status, _, body = self.refused("unichat", f"GET /api/health HTTP/1.1\r\nHost: x\r\n{fields}\r\n".encode())
        self.assertEqual(status, 431)
        self.assertEqual(json.loads(body), {"error": "Too many request header fields"})

    def test_request_line_past_8_kib_is_414(self):
        path = "/api/health?q=" + "a" * (8192 - len("GET /api/health?q= HTTP/1.1"))
        with self.srv.connect("unichat") as sock:
            status, _, _ = raw_request(sock, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            self.assertEqual(status, 200)  # exactly 8 KiB
        status, _, body = self.refused("unichat", f"GET {path}a HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        self.assertEqual(status, 414)
        self.assertEqual(json.loads(body), {"error": "Request line too long"})
        status, _, body = self.refused("secondbrain", f"GET {path}a HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        self.assertEqual(status, 414)
        error = json.loads(body)["error"]
        self.assertEqual((error["type"], error["code"], error["message"]),
                         ("VALIDATION_ERROR", "VAL_005", "Request line too long"))

    def test_secret_query_parameters_are_redacted_in_the_access_log(self):
        requests.get(self.srv.url("unichat", "/api/health?api_key=SECRET-A1&x=1"), timeout=10)
        requests.get(self.srv.url("mira", "/ws/net-1?token=SECRET-B2"), timeout=10)  # refused: not an upgrade
        requests.get(self.srv.url("pisovereign", "/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=SECRET-C3"),
                     timeout=10)
        requests.get(self.srv.url("unamentis", "/nope?access_token=SECRET-D4&password=SECRET-E5&page=2"),
                     timeout=10)
        expected = ["/api/health?api_key=[redacted]&x=1", "/ws/net-1?token=[redacted]",
                    "hub.mode=subscribe&hub.verify_token=[redacted]",
                    "/nope?access_token=[redacted]&password=[redacted]&page=2"]
        # Each line is written after its answer, on the I/O thread that served it, so
        # the four may land in any order: wait for all of them.
        deadline = time.monotonic() + 10
        while not all(e in self.srv.log() for e in expected) and time.monotonic() < deadline:
            time.sleep(0.05)
        log = self.srv.log()
        for e in expected:
            self.assertIn(e, log)
        self.assertNotIn("SECRET-", log)


if __name__ == "__main__":
    unittest.main()
