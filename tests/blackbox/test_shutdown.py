"""SIGTERM/SIGINT: stop accepting, finish in-flight requests, exit 0."""

import signal
import threading
import time
import unittest

import requests

from harness import AtriumServer, raw_request


class ShutdownTest(unittest.TestCase):
    def test_in_flight_request_finishes_after_sigterm(self):
        srv = AtriumServer(config={"server": {"shutdown_grace_ms": 10000}}).start()
        try:
            body = b'{"message": "written during shutdown", "label": "shutdown"}'
            with srv.connect("unamentis", timeout=15) as sock:
                head = (b"POST /api/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n" % len(body))
                sock.sendall(head + body[:10])  # the request is in flight
                time.sleep(0.3)
                srv.signal(signal.SIGTERM)
                time.sleep(0.5)
                # New connections are refused once shutdown began...
                with self.assertRaises(requests.ConnectionError):
                    requests.get(srv.url("unichat", "/api/health"), timeout=2)
                # ...but the in-flight request is completed and answered.
                status, headers, resp = raw_request(sock, body[10:], read_timeout=15)
                self.assertEqual(status, 200)
                self.assertEqual(resp, b'{"success":true}')
                self.assertEqual(headers["connection"], "close")
            self.assertEqual(srv.wait(15), 0)
        finally:
            srv.stop()
        # The acknowledged write is durable: a new server on the same data sees it.
        again = AtriumServer(data_dir=srv.data_dir).start()
        try:
            logs = requests.get(again.url("unamentis", "/api/logs"), params={"label": "shutdown"}, timeout=10).json()
            self.assertEqual([e["message"] for e in logs["logs"]], ["written during shutdown"])
        finally:
            self.assertEqual(again.stop(), 0)
            again.cleanup()
            srv.cleanup()

    def test_idle_keep_alive_connections_do_not_delay_shutdown(self):
        srv = AtriumServer(config={"server": {"shutdown_grace_ms": 20000, "idle_timeout_ms": 60000}}).start()
        try:
            socks = [srv.connect("mira") for _ in range(20)]
            for s in socks:
                status, _, _ = raw_request(s, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertEqual(status, 200)
            started = time.monotonic()
            srv.signal(signal.SIGINT)
            self.assertEqual(srv.wait(15), 0)
            # Idle connections are closed at once, not after the 20 s grace period.
            self.assertLess(time.monotonic() - started, 10)
            for s in socks:
                s.close()
        finally:
            srv.stop()
            srv.cleanup()

    def test_sigterm_under_load_never_truncates_a_response(self):
        srv = AtriumServer().start()
        results = {"ok": 0, "refused": 0, "bad": []}
        lock = threading.Lock()
        stop = threading.Event()

        def hammer(dialect, path):
            session = requests.Session()
            for _ in range(100000):
                if stop.is_set():
                    return
                try:
                    r = session.get(srv.url(dialect, path), timeout=10)
                    with lock:
                        if r.status_code == 200 and r.json()["status"]:
                            results["ok"] += 1
                        else:
                            results["bad"].append((r.status_code, r.text))
                except requests.exceptions.ChunkedEncodingError as e:
                    with lock:
                        results["bad"].append(("truncated", str(e)))
                except requests.ConnectionError:
                    # Refused, or closed between requests before a new one was read.
                    with lock:
                        results["refused"] += 1
                    if srv.proc.poll() is not None:
                        return
                    time.sleep(0.01)

        try:
            threads = [threading.Thread(target=hammer, args=args) for args in
                       [("unamentis", "/health"), ("unichat", "/api/health"), ("pisovereign", "/health"),
                        ("secondbrain", "/api/health")] * 2]
            for t in threads:
                t.start()
            time.sleep(1.5)
            srv.signal(signal.SIGTERM)
            code = srv.wait(20)
            stop.set()
            for t in threads:
                t.join(20)
            self.assertEqual(code, 0)
            self.assertGreater(results["ok"], 50)
            self.assertEqual(results["bad"], [])
            self.assertIn("stopped", srv.log())
        finally:
            stop.set()
            srv.stop()
            srv.cleanup()


if __name__ == "__main__":
    unittest.main()
