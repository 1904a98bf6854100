"""A cluster as a user runs one: PostgreSQL, Redis, two Atrium instances and nginx in
front of them (deploy/nginx/atrium.conf, rendered with the test's ports), all on
loopback and started and stopped here; never system services.

- the official socket.io-client through nginx (long-polling, then the upgrade to a
  WebSocket) and directly on each instance hears every event of a chat sent through
  the other instance;
- an admin's ban on instance A drops the user's socket on instance B;
- a set test in the manner of Jepsen: clients add items through A, B and nginx while
  instance A is killed with SIGKILL and restarted and Redis restarts; every write a
  client saw acknowledged is in the final read of each instance, once."""

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import requests

from fake_upstream import FakeUpstream
from harness import AtriumServer, postgres_server_url
from unichat_client import UnichatUser, promote

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import nginx_server  # noqa: E402  (tests/support, stdlib only)
import pg_server  # noqa: E402
import redis_server  # noqa: E402

NODE_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node", "cluster_chat.js")


@unittest.skipUnless(nginx_server.nginx_binary(), "nginx is not installed")
@unittest.skipUnless(shutil.which("redis-server") or os.path.exists("/usr/bin/redis-server"),
                     "redis-server is not installed")
@unittest.skipUnless(postgres_server_url() or glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                     "PostgreSQL is not installed")
class ClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atrium-cluster-")
        cls.redis = redis_server.RedisServer(os.path.join(cls.tmp, "redis"))
        cls.redis_url = cls.redis.start()
        cls.own_pg = cls.upstream = cls.a = cls.b = cls.nginx = None
        try:
            server = postgres_server_url()
            if not server:
                cls.own_pg = os.path.join(tempfile.gettempdir(), f"atrium-cluster-pg-{os.getpid()}")
                server = pg_server.start(cls.own_pg, None)
            cls.pg_url = pg_server.create_database(server)
            cls.upstream = FakeUpstream("--models", "slow-chat", "--token-delay-ms", "40")
            cls.shared = {"redis": {"url": cls.redis_url, "timeout_ms": 300},
                          "storage": {"url": cls.pg_url},
                          "security": {"jwt_secret": "c" * 40, "trusted_proxies": ["127.0.0.1"]},
                          "llm": {"base_url": cls.upstream.base, "model": "slow-chat"}}
            cls.a = AtriumServer(config=cls.shared).start()
            cls.b = AtriumServer(config=cls.shared).start()
            cls.nginx = nginx_server.NginxServer(os.path.join(cls.tmp, "nginx"), [cls.a.ports, cls.b.ports]).start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        codes = []
        if cls.nginx:
            cls.nginx.stop()
        for srv in (cls.a, cls.b):
            if srv:
                codes.append((srv.stop(), srv.log()))
                srv.cleanup()
        cls.redis.stop()
        if cls.upstream:
            cls.upstream.stop()
        if cls.own_pg:
            pg_server.stop(cls.own_pg)
        elif getattr(cls, "pg_url", None):
            try:
                pg_server.drop_database(postgres_server_url(), cls.pg_url.rsplit("/", 1)[1])
            except Exception:
                pass
        shutil.rmtree(cls.tmp, ignore_errors=True)
        for code, log in codes:
            if code != 0 or "runtime error:" in log or "Sanitizer" in log:
                raise AssertionError(f"an instance exited with {code}:\n{log[-4000:]}")

    def wait_for(self, condition, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.02)
        return condition()

    def user(self, email, address):
        """Signed up and in through nginx from `address` (X-Forwarded-For): each test's
        users have their own rate-limit bucket."""
        via = {"X-Forwarded-For": address}
        r = requests.post(self.nginx.url("unichat", "/api/auth/register"), headers=via, timeout=10,
                          json={"email": email, "password": "Passw0rdOK", "display_name": email.split("@")[0]})
        self.assertEqual(r.status_code, 201, r.text)
        r = requests.post(self.nginx.url("unichat", "/api/auth/login"), headers=via, timeout=10,
                          json={"email": email, "password": "Passw0rdOK"})
        self.assertEqual(r.status_code, 200, r.text)
        u = UnichatUser.__new__(UnichatUser)
        u.srv, u.email = self.a, email
        u.token, u.id = r.json()["access_token"], r.json()["user"]["id"]
        return u

    def test_nginx_spreads_rest_requests_over_both_instances(self):
        r = requests.get(self.nginx.url("pisovereign", "/health"), timeout=10)
        self.assertEqual(r.status_code, 200, r.text)
        # least_conn over two idle instances takes turns: a run of requests reaches both.
        for _ in range(20):
            self.assertEqual(requests.get(self.nginx.url("pisovereign", "/health"), timeout=10).status_code, 200)
        log = self.nginx.access_log()
        for srv in (self.a, self.b):
            self.assertIn(f"upstream=127.0.0.1:{srv.port('pisovereign')}", log)

    def test_socketio_through_nginx_upgrades_and_every_socket_hears_a_chat_sent_through_the_other_instance(self):
        dee = self.user("dee-cluster@example.com", "198.51.100.41")
        r = dee.call("POST", "/api/configs", json={"name": "Slow", "model_id": "slow-chat", "system_prompt": ""})
        self.assertEqual(r.status_code, 201, r.text)
        options = {"via": self.nginx.url("unichat"), "a": self.a.url("unichat", ""), "b": self.b.url("unichat", ""),
                   "token": dee.token, "config_id": r.json()["config"]["id"], "message": "through the cluster"}
        run = subprocess.run(["node", NODE_SCRIPT, json.dumps(options)], capture_output=True, text=True, timeout=90)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        result = json.loads(run.stdout.strip().splitlines()[-1])
        self.assertTrue(result["ack"].get("success"), result["ack"])
        self.assertEqual(result["first_transport"], "polling")
        self.assertEqual(result["transport"], "websocket")
        heard = result["heard"]
        names = [e for e, _ in heard["b"]]
        self.assertEqual(names[:3], ["conversation_created", "message_saved", "message_start"], names)
        self.assertEqual(names[-1], "message_complete", names)
        streamed = "".join(d["content"] for e, d in heard["b"] if e == "message_chunk")
        self.assertEqual(streamed, "Echo: through the cluster")
        # Every event, once and in order, on the socket through nginx and on instance A's.
        self.assertEqual(heard["via"], heard["b"])
        self.assertEqual(heard["a"], heard["b"])

    def test_an_admin_ban_on_one_instance_drops_the_users_socket_on_the_other(self):
        import socketio  # python3-socketio (Debian)
        admin = self.user("admin-cluster@example.com", "198.51.100.42")
        promote(self.a, admin.email)
        # A promotion takes effect at the next sign-in.
        r = requests.post(self.a.url("unichat", "/api/auth/login"), headers={"X-Forwarded-For": "198.51.100.42"},
                          json={"email": admin.email, "password": "Passw0rdOK"}, timeout=10)
        admin.token = r.json()["access_token"]
        eve = self.user("eve-cluster@example.com", "198.51.100.43")
        dropped = threading.Event()
        sio = socketio.Client(reconnection=False)
        sio.on("disconnect", lambda *args: dropped.set())
        sio.connect(self.b.url("unichat", ""), socketio_path="/socket.io/", transports=["websocket"],
                    auth={"token": eve.token}, wait_timeout=5)
        try:
            r = requests.put(self.a.url("unichat", f"/api/admin/users/{eve.id}/ban"),
                             headers={"Authorization": f"Bearer {admin.token}"}, json={"reason": "spam"}, timeout=10)
            self.assertIn(r.status_code, (200, 204), r.text)
            self.assertTrue(dropped.wait(10), "the banned user's socket on instance B stayed connected")
            # And she cannot come back, on either instance.
            for srv in (self.a, self.b):
                again = socketio.Client(reconnection=False)
                with self.assertRaises(socketio.exceptions.ConnectionError):
                    again.connect(srv.url("unichat", ""), socketio_path="/socket.io/", transports=["websocket"],
                                  auth={"token": eve.token}, wait_timeout=5)
        finally:
            if sio.connected:
                sio.disconnect()

    def test_z_no_acknowledged_write_is_lost_when_an_instance_is_killed_and_redis_restarts(self):
        cls = type(self)
        fay = self.user("fay-cluster@example.com", "198.51.100.44")
        acknowledged, unknown = [], []
        lock = threading.Lock()
        stop = threading.Event()
        a_ports = {}

        def targets():
            return [lambda: cls.a.url("unichat", ""), lambda: cls.b.url("unichat", ""),
                    lambda: cls.nginx.url("unichat")]

        def client(n):
            at = targets()
            i = 0
            while not stop.is_set():
                name = f"item-{n}-{i}"
                base = at[(i + n) % len(at)]()
                try:
                    r = requests.post(base + "/api/configs", timeout=10,
                                      headers={"Authorization": f"Bearer {fay.token}",
                                               "X-Forwarded-For": f"198.51.100.{50 + n}"},
                                      json={"name": name, "model_id": "slow-chat", "system_prompt": ""})
                    with lock:
                        (acknowledged if r.status_code == 201 else unknown).append(name)
                except requests.RequestException:
                    with lock:
                        unknown.append(name)  # maybe written, maybe not: not counted
                i += 1
                time.sleep(0.01)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        try:
            self.assertTrue(self.wait_for(lambda: len(acknowledged) >= 30, 30), "no writes acknowledged")
            cls.a.signal(signal.SIGKILL)
            cls.a.wait(10)
            a_ports.update(cls.a.ports)
            self.assertTrue(self.wait_for(lambda: len(acknowledged) >= 60, 30), "writes stopped with A down")
            old = cls.a
            cls.a = AtriumServer(config=cls.shared).start()
            old.cleanup()
            cls.nginx.stop()
            cls.nginx = nginx_server.NginxServer(os.path.join(cls.tmp, "nginx2"), [cls.a.ports, cls.b.ports]).start()
            self.assertTrue(self.wait_for(lambda: len(acknowledged) >= 90, 30), "writes stopped after A came back")
            cls.redis.restart(down_seconds=0.5)
            self.assertTrue(self.wait_for(lambda: len(acknowledged) >= 130, 30), "writes stopped after Redis restarted")
        finally:
            stop.set()
            for t in threads:
                t.join(30)
        for srv in (cls.a, cls.b):
            names, page = [], 1
            while True:
                r = requests.get(srv.url("unichat", f"/api/configs?page={page}&limit=100"),
                                 headers={"Authorization": f"Bearer {fay.token}"}, timeout=30)
                self.assertEqual(r.status_code, 200, r.text)
                batch = [c["name"] for c in r.json()["configs"]]
                names += batch
                if len(batch) < 100:
                    break
                page += 1
            self.assertEqual(len(names), len(set(names)), "an item is there twice")
            missing = sorted(set(acknowledged) - set(names))
            self.assertEqual(missing, [], f"{len(missing)} acknowledged writes lost")
        # After the restart the bus works again: B's health sees Redis.
        r = requests.get(cls.b.url("pisovereign", "/ready/all"), timeout=10)
        self.assertEqual(r.status_code, 200, r.text)


if __name__ == "__main__":
    unittest.main()
