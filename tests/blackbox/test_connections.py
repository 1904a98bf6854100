"""Deadlines and bounds: idle and slow clients cannot starve others."""

import resource
import socket
import time
import unittest

import requests

from harness import AtriumServer, raw_request, wait_closed


def raise_fd_limit(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class IdleConnectionsTest(unittest.TestCase):
    HEADER_TIMEOUT_MS = 3000

    def test_thousand_idle_connections_do_not_block_a_new_client_and_are_closed(self):
        if raise_fd_limit(4096) < 1100:
            self.skipTest("cannot open 1,000 sockets here")
        with AtriumServer(config={"server": {"header_timeout_ms": self.HEADER_TIMEOUT_MS}}) as srv:
            idle = []
            try:
                for _ in range(1000):
                    idle.append(socket.create_connection(("127.0.0.1", srv.port("unichat")), timeout=10))
                opened = time.monotonic()
                # A new client is served at once, on the same dialect and on another.
                r = requests.get(srv.url("unichat", "/api/health"), timeout=10)
                self.assertEqual(r.status_code, 200)
                r = requests.get(srv.url("unamentis", "/health"), timeout=10)
                self.assertEqual(r.status_code, 200)
                # The idle ones are closed after the header deadline (never before it).
                self.assertFalse(wait_closed(idle[0], 0.5))
                deadline = opened + self.HEADER_TIMEOUT_MS / 1000 + 10
                for sock in idle:
                    remaining = max(0.1, deadline - time.monotonic())
                    self.assertTrue(wait_closed(sock, remaining), "idle connection left open past the deadline")
                # And the server still serves.
                self.assertEqual(requests.get(srv.url("unichat", "/api/health"), timeout=10).status_code, 200)
            finally:
                for sock in idle:
                    sock.close()

    def test_slow_header_is_answered_408_and_closed(self):
        with AtriumServer(config={"server": {"header_timeout_ms": 1000}}) as srv:
            with srv.connect("pisovereign") as sock:
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # never finishes the header
                status, headers, body = raw_request(sock, b"", read_timeout=10)
                self.assertEqual(status, 408)
                self.assertIn(b'"code":"REQUEST_TIMEOUT"', body)
                self.assertTrue(wait_closed(sock, 5))

    def test_slow_body_is_answered_408(self):
        with AtriumServer(config={"server": {"body_timeout_ms": 1000}}) as srv:
            with srv.connect("unamentis") as sock:
                sock.sendall(b"POST /api/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 100\r\n\r\n{\"message\":")
                status, headers, body = raw_request(sock, b"", read_timeout=10)
                self.assertEqual(status, 408)
                self.assertIn(b'"error":"request_timeout"', body)

    def test_idle_keep_alive_connection_is_closed_after_idle_timeout(self):
        with AtriumServer(config={"server": {"idle_timeout_ms": 1000}}) as srv:
            with srv.connect("unamentis") as sock:
                status, _, _ = raw_request(sock, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertEqual(status, 200)
                self.assertTrue(wait_closed(sock, 10))

    def test_connections_over_the_bound_are_refused_not_queued(self):
        with AtriumServer(config={"server": {"max_connections": 5}}) as srv:
            held = [srv.connect("unichat") for _ in range(5)]
            try:
                time.sleep(0.3)  # let the server accept them
                extra = srv.connect("unichat")
                self.assertTrue(wait_closed(extra, 5))
                extra.close()
            finally:
                for s in held:
                    s.close()
            # Once they are gone, clients are served again.
            for _ in range(50):
                try:
                    if requests.get(srv.url("unichat", "/api/health"), timeout=5).status_code == 200:
                        break
                except requests.ConnectionError:
                    time.sleep(0.1)
            else:
                self.fail("server did not recover after connections closed")


if __name__ == "__main__":
    unittest.main()
