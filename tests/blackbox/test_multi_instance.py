"""Two Atrium instances sharing one Redis (redis.url), and PostgreSQL when the tests run
on it: the event bus, rate limits and health across instances. Redis is the test's own
(tests/support/redis_server.py), started and stopped here; never a system service."""

import os
import shutil
import sys
import tempfile
import threading
import time
import unittest

import requests

from harness import AtriumServer, postgres_database_for

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import redis_server  # noqa: E402  (tests/support, stdlib only)

SOCKET_ECHO = "/__atrium/echo/socket.io/"


@unittest.skipUnless(shutil.which("redis-server") or os.path.exists("/usr/bin/redis-server"),
                     "redis-server is not installed")
class MultiInstanceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.redis_dir = tempfile.mkdtemp(prefix="atrium-redis-")
        cls.redis = redis_server.RedisServer(os.path.join(cls.redis_dir, "server"))
        cls.redis_url = cls.redis.start()
        shared = {"redis": {"url": cls.redis_url, "timeout_ms": 300},
                  "testing": {"echo_routes": True},
                  "security": {"jwt_secret": "k" * 40}}
        # One database for both, when the tests run on PostgreSQL.
        cls.shared_data = tempfile.mkdtemp(prefix="atrium-shared-")
        pg = postgres_database_for(cls.shared_data)
        if pg:
            shared["storage"] = {"url": pg}
        cls.a = AtriumServer(config=shared).start()
        cls.b = AtriumServer(config=shared).start()

    @classmethod
    def tearDownClass(cls):
        codes = []
        for srv in (cls.a, cls.b):
            codes.append((srv.stop(), srv.log()))
            srv.cleanup()
        cls.redis.stop()
        shutil.rmtree(cls.redis_dir, ignore_errors=True)
        shutil.rmtree(cls.shared_data, ignore_errors=True)
        for code, log in codes:
            assert code == 0, f"exit {code}:\n{log[-6000:]}"

    # --- helpers ----------------------------------------------------------------

    def socket(self, srv, received):
        """A python3-socketio client on `srv`'s echo namespace that records every `note`."""
        import socketio  # python3-socketio (Debian), only under /usr/bin/python3
        sio = socketio.Client(reconnection=False)
        lock = threading.Lock()

        @sio.on("note")
        def on_note(data):
            with lock:
                received.append(data)

        sio.connect(f"http://127.0.0.1:{srv.port('pisovereign')}", socketio_path=SOCKET_ECHO,
                    transports=["websocket"], wait_timeout=5)
        return sio

    def wait_for(self, condition, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.02)
        return condition()

    def broadcast_once(self, room, count, tag):
        """A client on A and one on B join `room`; B's publishes `count` notes. Returns
        what each received."""
        on_a, on_b = [], []
        a = self.socket(self.a, on_a)
        b = self.socket(self.b, on_b)
        try:
            self.assertEqual(a.call("join", room, timeout=5), "ok")
            self.assertEqual(b.call("join", room, timeout=5), "ok")
            for i in range(count):
                self.assertEqual(b.call("publish", (room, "note", {"tag": tag, "n": i}), timeout=5), "ok")
            expected = [{"tag": tag, "n": i} for i in range(count)]
            self.wait_for(lambda: len(on_a) >= count and len(on_b) >= count)
            time.sleep(0.3)  # a duplicate would arrive by now
            return expected, list(on_a), list(on_b)
        finally:
            a.disconnect()
            b.disconnect()

    # --- tests ------------------------------------------------------------------

    def test_a_socketio_broadcast_reaches_the_other_instance_once_each_in_order(self):
        expected, on_a, on_b = self.broadcast_once("room-1", 25, "first")
        self.assertEqual(on_a, expected)  # through Redis
        self.assertEqual(on_b, expected)  # locally, no echo from Redis

    def test_a_rate_limit_is_shared_exactly(self):
        # secondbrain's auth rule: 5 per 15 minutes per address, split across both.
        codes = []
        for i in range(6):
            srv = self.a if i % 2 == 0 else self.b
            r = requests.post(srv.url("secondbrain", "/api/auth/login"),
                              json={"email": "nobody@example.com", "password": "WrongP@ssw0rd123"},
                              headers={"X-Forwarded-For": "203.0.113.77"}, timeout=10)
            codes.append(r.status_code)
        self.assertEqual(codes.count(429), 1, codes)
        self.assertEqual(codes[-1], 429, codes)

    def test_health_reports_redis_on_both_dialects(self):
        for srv in (self.a, self.b):
            health = requests.get(srv.url("secondbrain", "/api/health"), timeout=10).json()
            redis = health["services"]["redis"]
            self.assertEqual(redis["status"], "up", health)
            self.assertIsInstance(redis["latency"], int)
            ready = requests.get(srv.url("pisovereign", "/ready/all"), timeout=10).json()
            self.assertTrue(ready["services"]["redis"]["healthy"], ready)
            self.assertIsInstance(ready["services"]["redis"]["latency_ms"], int)

    def test_metrics_count_bus_messages(self):
        self.broadcast_once("room-metrics", 3, "metrics")
        text_b = requests.get(self.b.url("pisovereign", "/metrics/prometheus"), timeout=10).text
        text_a = requests.get(self.a.url("pisovereign", "/metrics/prometheus"), timeout=10).text
        def value(text, series):
            for line in text.splitlines():
                if line.startswith(series + " "):
                    return float(line.split()[-1])
            self.fail(f"{series} missing:\n{text[-2000:]}")
        self.assertGreaterEqual(value(text_b, 'atrium_bus_messages_total{direction="out"}'), 3)
        self.assertGreaterEqual(value(text_a, 'atrium_bus_messages_total{direction="in"}'), 3)
        self.assertGreaterEqual(value(text_a, "atrium_redis_reconnects_total"), 0)

    def test_z_the_bus_recovers_after_redis_restarts(self):
        self.redis.stop_server()
        # Down: health says so (secondbrain degraded, not down: Redis is not critical).
        health = requests.get(self.a.url("secondbrain", "/api/health"), timeout=10)
        self.assertEqual(health.status_code, 200)
        self.assertEqual(health.json()["services"]["redis"]["status"], "down")
        self.redis.start(port=self.redis.port())
        self.assertTrue(self.wait_for(
            lambda: all(requests.get(s.url("secondbrain", "/api/health"), timeout=10)
                        .json()["services"]["redis"]["status"] == "up" for s in (self.a, self.b)), 15))
        # Both instances' subscriber connections come back too: a broadcast crosses again.
        def crosses():
            expected, on_a, _ = self.broadcast_once("room-after", 1, f"after-{time.monotonic()}")
            return on_a == expected
        self.assertTrue(self.wait_for(crosses, 15))
        for srv in (self.a, self.b):
            self.assertIsNone(srv.proc.poll(), "the server crashed")
        text = requests.get(self.a.url("pisovereign", "/metrics/prometheus"), timeout=10).text
        self.assertIn("atrium_redis_reconnects_total", text)


if __name__ == "__main__":
    unittest.main()
