"""Two Atrium instances sharing one Redis (redis.url) and one PostgreSQL database: the
event bus, rate limits, running turns and health across instances. Redis is the test's
own (tests/support/redis_server.py); PostgreSQL the ctest fixture's, or the test's own
(tests/support/pg_server.py) when none is given. Both are started and stopped here;
never system services."""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import requests

from fake_upstream import FakeUpstream
from harness import AtriumServer, postgres_server_url
from unichat_client import UnichatUser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import pg_server  # noqa: E402
import redis_server  # noqa: E402  (tests/support, stdlib only)

NODE_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node", "unichat_chat.js")

SOCKET_ECHO = "/__atrium/echo/socket.io/"


@unittest.skipUnless(shutil.which("redis-server") or os.path.exists("/usr/bin/redis-server"),
                     "redis-server is not installed")
@unittest.skipUnless(postgres_server_url() or glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                     "PostgreSQL is not installed")
class MultiInstanceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.redis_dir = tempfile.mkdtemp(prefix="atrium-redis-")
        cls.redis = redis_server.RedisServer(os.path.join(cls.redis_dir, "server"))
        cls.redis_url = cls.redis.start()
        cls.own_pg = cls.slow = cls.a = cls.b = None
        try:
            server = postgres_server_url()
            if not server:
                # Directly in /tmp: the server's user must reach it (a mkdtemp parent is 0700).
                cls.own_pg = os.path.join(tempfile.gettempdir(), f"atrium-multi-pg-{os.getpid()}")
                server = pg_server.start(cls.own_pg, None)
            cls.pg_url = pg_server.create_database(server)
            cls.slow = FakeUpstream("--models", "slow-chat", "--token-delay-ms", "80")
            shared = {"redis": {"url": cls.redis_url, "timeout_ms": 300},
                      "storage": {"url": cls.pg_url},
                      "testing": {"echo_routes": True},
                      # The tests sign up from one address; a test that needs its own bucket says so.
                      "security": {"jwt_secret": "k" * 40, "trusted_proxies": ["127.0.0.1"]},
                      "llm": {"base_url": cls.slow.base, "model": "slow-chat"}}
            cls.a = AtriumServer(config=shared).start()
            cls.b = AtriumServer(config=shared).start()
        except BaseException:
            cls.tearDownClass()  # what was started goes, then the error
            raise

    @classmethod
    def tearDownClass(cls):
        codes = []
        for srv in (cls.a, cls.b):
            if srv:
                codes.append((srv.stop(), srv.log()))
                srv.cleanup()
        cls.redis.stop()
        if cls.slow:
            cls.slow.stop()
        if cls.own_pg:
            pg_server.stop(cls.own_pg)
        elif getattr(cls, "pg_url", None):
            try:
                pg_server.drop_database(postgres_server_url(), cls.pg_url.rsplit("/", 1)[1])
            except Exception:  # best effort: the fixture's server goes at the end of the run
                pass
        shutil.rmtree(cls.redis_dir, ignore_errors=True)
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

    def test_stop_generation_on_one_instance_stops_the_turn_on_the_other(self):
        ann = UnichatUser(self.a, "ann-multi@example.com")
        r = ann.call("POST", "/api/configs", json={"name": "Slow", "model_id": "slow-chat", "system_prompt": ""})
        self.assertEqual(r.status_code, 201, r.text)
        config_id = r.json()["config"]["id"]
        words = " ".join(f"w{i}" for i in range(40))
        before = self.slow.stats()["streams_disconnected"]
        out = subprocess.run(["node", NODE_SCRIPT, "stop_elsewhere", json.dumps({
            "url": self.a.url("unichat", ""), "stop_url": self.b.url("unichat", ""), "token": ann.token,
            "payload": {"config_id": config_id, "message": words}})], capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        self.assertNotIn("error", result, result)
        mid = result["ack"]["message_id"]
        # B answers like A would: the turn was found, and stopped where it runs.
        self.assertEqual(result["stopAck"], {"success": True, "message_id": mid})
        heard = result["heard"]
        self.assertEqual([e[0] for e in heard][-2:], ["message_complete", "generation_stopped"])
        done = [e[1] for e in heard if e[0] == "message_complete"][0]
        self.assertTrue(done["metadata"]["stopped"])
        streamed = "".join(e[1]["content"] for e in heard if e[0] == "message_chunk")
        self.assertEqual(done["content"], streamed)
        self.assertLess(len(streamed), len("Echo: " + words))
        self.assertEqual(result["late"], [])
        self.assertEqual(result["again"]["success"], False)
        # A cancelled the upstream request; the partial answer is stored once.
        deadline = time.monotonic() + 5
        while self.slow.stats()["streams_disconnected"] == before and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.slow.stats()["streams_disconnected"], before + 1)
        got = ann.call("GET", f"/api/conversations/{result['ack']['conversation_id']}").json()["messages"]
        self.assertEqual([(m["role"], m["content"]) for m in got], [("user", words), ("assistant", streamed)])

    def test_a_chat_sent_over_rest_on_one_instance_reaches_the_users_socket_on_the_other(self):
        import socketio  # python3-socketio (Debian)
        bea = UnichatUser(self.a, "bea-multi@example.com")
        r = bea.call("POST", "/api/configs", json={"name": "Slow", "model_id": "slow-chat", "system_prompt": ""})
        self.assertEqual(r.status_code, 201, r.text)
        heard = []
        sio = socketio.Client(reconnection=False)
        sio.on("title_updated", lambda data: heard.append(data))
        sio.connect(f"http://127.0.0.1:{self.a.port('unichat')}", socketio_path="/socket.io/",
                    transports=["websocket"], auth={"token": bea.token}, wait_timeout=5)
        try:
            # Sent to B's REST API with the same token: the background title reaches A's socket.
            sent = requests.post(self.b.url("unichat", "/api/chat/send"),
                                 headers={"Authorization": f"Bearer {bea.token}"},
                                 json={"config_id": r.json()["config"]["id"], "message": "hi there", "attachments": []},
                                 timeout=30)
            self.assertEqual(sent.status_code, 200, sent.text)
            cid = sent.json()["conversation_id"]
            self.assertTrue(self.wait_for(lambda: heard, 15), "no title_updated on instance A")
            time.sleep(0.3)
            self.assertEqual(len(heard), 1, heard)  # once, not once per topic or instance
            self.assertEqual(heard[0]["conversation_id"], cid)
            title = bea.call("GET", f"/api/conversations/{cid}").json()["conversation"]["title"]
            self.assertEqual(heard[0]["title"], title)
        finally:
            sio.disconnect()

    def test_a_turn_sent_over_socketio_on_one_instance_streams_to_the_users_socket_on_the_other(self):
        import socketio  # python3-socketio (Debian)
        # Signed up from an address of its own: the auth limit is shared by both instances.
        via = {"X-Forwarded-For": "198.51.100.23"}
        signed_up = requests.post(self.a.url("unichat", "/api/auth/register"), headers=via, timeout=10,
                                  json={"email": "cy-multi@example.com", "password": "Passw0rdOK", "display_name": "cy"})
        self.assertEqual(signed_up.status_code, 201, signed_up.text)
        cy = UnichatUser.__new__(UnichatUser)
        cy.srv, cy.email = self.a, "cy-multi@example.com"
        login = requests.post(self.b.url("unichat", "/api/auth/login"), headers=via, timeout=10,
                              json={"email": cy.email, "password": "Passw0rdOK"})
        self.assertEqual(login.status_code, 200, login.text)
        cy.token, cy.id = login.json()["access_token"], login.json()["user"]["id"]
        r = cy.call("POST", "/api/configs", json={"name": "Slow", "model_id": "slow-chat", "system_prompt": ""})
        self.assertEqual(r.status_code, 201, r.text)
        names = ("conversation_created", "message_saved", "message_start", "message_chunk", "message_complete",
                 "message_error", "generation_stopped")
        heard = {"a": [], "b": []}
        clients = {}
        for side, srv in (("a", self.a), ("b", self.b)):
            sio = socketio.Client(reconnection=False)
            for name in names:
                sio.on(name, (lambda n, bucket: lambda data: bucket.append((n, data)))(name, heard[side]))
            sio.connect(f"http://127.0.0.1:{srv.port('unichat')}", socketio_path="/socket.io/",
                        transports=["websocket"], auth={"token": cy.token}, wait_timeout=5)
            clients[side] = sio
        try:
            ack = clients["b"].call("send_message", {"config_id": r.json()["config"]["id"], "message": "hi over there"},
                                    timeout=30)
            self.assertTrue(ack["success"], ack)
            done = lambda bucket: any(n == "message_complete" for n, _ in bucket)  # noqa: E731
            self.assertTrue(self.wait_for(lambda: done(heard["b"]) and done(heard["a"]), 20), heard)
            time.sleep(0.3)
            # Every event of the turn, once each and in order, on the socket of the instance that did not run it.
            self.assertEqual(heard["a"], heard["b"])
            self.assertEqual([n for n, _ in heard["a"]][:3], ["conversation_created", "message_saved", "message_start"])
            streamed = "".join(d["content"] for n, d in heard["a"] if n == "message_chunk")
            self.assertEqual(streamed, "Echo: hi over there")
            self.assertEqual([d for n, d in heard["a"] if n == "message_complete"][0]["message_id"], ack["message_id"])
        finally:
            for sio in clients.values():
                sio.disconnect()

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
