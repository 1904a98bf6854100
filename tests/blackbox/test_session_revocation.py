"""Open connections end with their session: a Socket.IO socket (unichat on 5000,
secondbrain's socket port) hears "io server disconnect" within moments of a logout, a
password change, a device or session removal, refresh-token reuse or a ban (tokens are
shared, so a revocation through any dialect counts), and at its access token's expiry;
other sessions' sockets stay. Also: access tokens need the configured iss and aud and
are refused before their nbf, on every dialect."""

import json
import os
import queue
import socket
import subprocess
import threading
import time
import unittest
import uuid

import jwt
import requests

from fake_upstream import FakeUpstream
from harness import AtriumServer
from unichat_client import promote

NODE_SCRIPT = os.path.join(os.path.dirname(__file__), "node", "session_socket.js")
PASSWORD = "Str0ng!Passw0rd"
DEVICE = {"fingerprint": "fp-revocation", "name": "Test Phone", "type": "ios", "model": "iPhone",
          "os_version": "17", "app_version": "1.0"}
# Generous: the server closes within a second; a loaded test machine may be slow.
WAIT = 10


class HeldSocket:
    """One socket.io-client connection in a node process, reporting its events."""

    def __init__(self, url, token, path="/socket.io/", send=None):
        options = {"url": url, "token": token, "path": path}
        if send is not None:
            options["send"] = send
        self.proc = subprocess.Popen(["node", NODE_SCRIPT, json.dumps(options)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        first = self.next(WAIT)
        assert first and first["event"] == "connected", first

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def next(self, timeout):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def until(self, event, timeout):
        """Lines up to and including the first `event` one (None for it if it never came)."""
        seen, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.next(deadline - time.monotonic())
            if line is None:
                break
            seen.append(line)
            if line["event"] == event:
                return seen
        return seen + [None]

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass  # unread input of a client that has exited
        self.proc.stdout.close()
        self.proc.stderr.close()


class RevocationTestBase(unittest.TestCase):
    CONFIG = {}

    @classmethod
    def setUpClass(cls):
        config = {"security": {"rate_limits": False}}
        for table, values in cls.CONFIG.items():
            config.setdefault(table, {}).update(values)
        cls.srv = AtriumServer(config=config).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        assert code == 0, f"exit {code}:\n{log[-30000:]}"

    def setUp(self):
        self.sockets = []

    def tearDown(self):
        for s in self.sockets:
            s.close()

    def base(self, dialect):
        return f"http://127.0.0.1:{self.srv.port(dialect)}"

    def register(self):
        email = f"rev-{uuid.uuid4().hex[:10]}@example.com"
        r = requests.post(self.srv.url("unichat", "/api/auth/register"),
                          json={"email": email, "password": PASSWORD, "display_name": "Rev"}, timeout=10)
        self.assertEqual(r.status_code, 201, r.text)
        return email

    def login_unichat(self, email, password=PASSWORD):
        r = requests.post(self.srv.url("unichat", "/api/auth/login"), json={"email": email, "password": password},
                          timeout=10)
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()

    def login_unamentis(self, email, device=DEVICE):
        r = requests.post(self.srv.url("unamentis", "/api/auth/login"),
                          json={"email": email, "password": PASSWORD, "device": device}, timeout=10)
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()

    def hold(self, token, dialect="unichat"):
        s = HeldSocket(self.base(dialect), token)
        self.sockets.append(s)
        return s

    def expect_server_disconnect(self, s):
        line = s.next(WAIT)
        self.assertEqual(line, {"event": "disconnect", "reason": "io server disconnect"})

    def expect_still_connected(self, s):
        self.assertIsNone(s.next(1.0), "this session's socket should stay connected")

    def unichat(self, method, path, token, **kw):
        return requests.request(method, self.srv.url("unichat", path), headers={"Authorization": f"Bearer {token}"},
                                timeout=10, **kw)

    def unamentis(self, method, path, token, **kw):
        return requests.request(method, self.srv.url("unamentis", path), timeout=10,
                                headers={"Authorization": f"Bearer {token}", "User-Agent": "RevTest/1.0"}, **kw)


class SocketRevocationTest(RevocationTestBase):
    def test_logout_ends_that_sessions_socket_only(self):
        email = self.register()
        a = self.login_unichat(email)
        b = self.login_unichat(email)
        sa, sb = self.hold(a["access_token"]), self.hold(b["access_token"])
        self.assertEqual(self.unichat("POST", "/api/auth/logout", a["access_token"]).status_code, 200)
        self.expect_server_disconnect(sa)
        self.expect_still_connected(sb)

    def test_logout_all_devices_ends_every_socket(self):
        email = self.register()
        a = self.login_unamentis(email)
        b = self.login_unichat(email)
        sa, sb = self.hold(a["tokens"]["access_token"]), self.hold(b["access_token"], "secondbrain_socket")
        r = self.unamentis("POST", "/api/auth/logout", a["tokens"]["access_token"],
                           json={"refresh_token": a["tokens"]["refresh_token"], "all_devices": True})
        self.assertEqual(r.status_code, 200, r.text)
        self.expect_server_disconnect(sa)
        self.expect_server_disconnect(sb)

    def test_password_change_ends_the_other_sessions(self):
        email = self.register()
        a = self.login_unichat(email)
        b = self.login_unichat(email)
        sa, sb = self.hold(a["access_token"]), self.hold(b["access_token"])
        r = self.unichat("PUT", "/api/auth/password", a["access_token"],
                         json={"current_password": PASSWORD, "new_password": "N3w!Passw0rdX"})
        self.assertEqual(r.status_code, 200, r.text)
        self.expect_server_disconnect(sb)
        self.expect_still_connected(sa)

    def test_device_removal_ends_its_sessions(self):
        email = self.register()
        phone = self.login_unamentis(email)
        web = self.login_unichat(email)
        sp, sw = self.hold(phone["tokens"]["access_token"]), self.hold(web["access_token"])
        r = self.unamentis("DELETE", f"/api/auth/devices/{phone['device']['id']}", web["access_token"])
        self.assertIn(r.status_code, (200, 204), r.text)
        self.expect_server_disconnect(sp)
        self.expect_still_connected(sw)

    def test_session_revocation_ends_that_socket(self):
        email = self.register()
        a = self.login_unamentis(email)
        b = self.login_unichat(email)
        sa, sb = self.hold(a["tokens"]["access_token"]), self.hold(b["access_token"], "secondbrain_socket")
        sid = jwt.decode(b["access_token"], options={"verify_signature": False})["sid"]
        r = self.unamentis("DELETE", f"/api/auth/sessions/{sid}", a["tokens"]["access_token"])
        self.assertIn(r.status_code, (200, 204), r.text)
        self.expect_server_disconnect(sb)
        self.expect_still_connected(sa)

    def test_refresh_token_reuse_ends_the_family(self):
        email = self.register()
        a = self.login_unamentis(email)
        sa = self.hold(a["tokens"]["access_token"])
        url = self.srv.url("unamentis", "/api/auth/refresh")
        first = requests.post(url, json={"refresh_token": a["tokens"]["refresh_token"]}, timeout=10)
        self.assertEqual(first.status_code, 200, first.text)
        self.expect_still_connected(sa)  # a rotation ends nothing
        again = requests.post(url, json={"refresh_token": a["tokens"]["refresh_token"]}, timeout=10)
        self.assertEqual(again.status_code, 401, again.text)
        self.expect_server_disconnect(sa)

    def test_ban_by_an_admin_ends_every_socket(self):
        admin_email = self.register()
        promote(self.srv, admin_email)
        admin = self.login_unichat(admin_email)
        email = self.register()
        victim = self.login_unichat(email)
        s1, s2 = self.hold(victim["access_token"]), self.hold(victim["access_token"], "secondbrain_socket")
        r = self.unichat("PUT", f"/api/admin/users/{victim['user']['id']}/ban", admin["access_token"],
                         json={"reason": "spam"})
        self.assertEqual(r.status_code, 200, r.text)
        self.expect_server_disconnect(s1)
        self.expect_server_disconnect(s2)

    def test_a_revoked_socket_cannot_reconnect(self):
        email = self.register()
        a = self.login_unichat(email)
        sa = self.hold(a["access_token"])
        self.assertEqual(self.unichat("POST", "/api/auth/logout", a["access_token"]).status_code, 200)
        self.expect_server_disconnect(sa)
        out = subprocess.run(["node", NODE_SCRIPT, json.dumps({"url": self.base("unichat"),
                                                               "token": a["access_token"]})],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(json.loads(out.stdout.splitlines()[0])["event"], "connect_error")


class SocketExpiryTest(RevocationTestBase):
    CONFIG = {"security": {"access_token_ttl_s": 4}}

    def test_sockets_close_at_the_tokens_expiry(self):
        email = self.register()
        a = self.login_unichat(email)
        started = time.time()
        s1, s2 = self.hold(a["access_token"]), self.hold(a["access_token"], "secondbrain_socket")
        self.expect_server_disconnect(s1)
        self.expect_server_disconnect(s2)
        self.assertGreaterEqual(time.time() - started, 2.0, "not before the token's exp")


class SseRevocationTest(RevocationTestBase):
    """A streamed OpenAI chat completion (SSE) ends when its session is revoked, and at
    its access token's exp; either way the upstream request is cancelled at once."""

    TTL = None

    @classmethod
    def setUpClass(cls):
        cls.fake = FakeUpstream("--models", "slow-chat", "--token-delay-ms", "50")
        cls.CONFIG = {"llm": {"base_url": cls.fake.base, "model": "slow-chat"}}
        if cls.TTL:
            cls.CONFIG["security"] = {"access_token_ttl_s": cls.TTL}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.fake.stop()

    def open_stream(self, token, words=200):
        """Starts a streamed completion (words + 1 tokens at 50 ms) and reads its first chunks."""
        message = " ".join(f"w{i}" for i in range(words))
        body = json.dumps({"model": "slow-chat", "stream": True, "messages": [{"role": "user", "content": message}]})
        s = socket.create_connection(("127.0.0.1", self.srv.port("openai")), timeout=WAIT)
        s.sendall((f"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                   f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode())
        seen = b""
        while seen.count(b'"content":"') < 3:
            chunk = s.recv(65536)
            self.assertTrue(chunk, seen)
            seen += chunk
        return s, seen

    def read_to_end(self, s, seen, timeout):
        s.settimeout(timeout)
        while not seen.endswith(b"0\r\n\r\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            seen += chunk
        s.close()
        return seen

    def expect_upstream_cancelled(self, before):
        deadline = time.monotonic() + WAIT
        while self.fake.stats()["streams_disconnected"] == before and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.fake.stats()["streams_disconnected"], before + 1, "the upstream request ran on")


class SseLogoutTest(SseRevocationTest):
    def test_logout_ends_an_open_stream(self):
        email = self.register()
        a = self.login_unichat(email)
        before = self.fake.stats()["streams_disconnected"]
        s, seen = self.open_stream(a["access_token"])
        self.assertEqual(self.unichat("POST", "/api/auth/logout", a["access_token"]).status_code, 200)
        started = time.monotonic()
        seen = self.read_to_end(s, seen, WAIT)
        self.assertLess(time.monotonic() - started, 5, "the stream outlived its session")
        self.assertNotIn(b"[DONE]", seen, "the answer ran to its end")
        self.expect_upstream_cancelled(before)


class SseExpiryTest(SseRevocationTest):
    TTL = 4

    def test_a_stream_ends_at_its_tokens_expiry(self):
        email = self.register()
        a = self.login_unichat(email)
        exp = jwt.decode(a["access_token"], options={"verify_signature": False})["exp"]
        before = self.fake.stats()["streams_disconnected"]
        s, seen = self.open_stream(a["access_token"], words=400)  # 20 s if not stopped
        seen = self.read_to_end(s, seen, 30)
        ended = time.time()
        self.assertTrue(seen.endswith(b"0\r\n\r\n"), seen[-200:])
        self.assertNotIn(b"[DONE]", seen, "the answer ran to its end")
        self.assertGreaterEqual(ended, exp - 1.5, "not before the token's exp")
        self.assertLess(ended, exp + 6, "the stream outlived its token")
        self.expect_upstream_cancelled(before)


class SocketTurnRevocationTest(RevocationTestBase):
    """A chat turn running on a socket stops when that socket is closed for its session's
    revocation or its token's expiry: the upstream request is cancelled, as by
    stop_generation."""

    @classmethod
    def setUpClass(cls):
        cls.fake = FakeUpstream("--models", "slow-chat", "--token-delay-ms", "80")
        cls.CONFIG = {"llm": {"base_url": cls.fake.base, "model": "slow-chat"}}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.fake.stop()

    def slow_turn(self, token):
        r = self.unichat("POST", "/api/configs", token, json={"name": "Slow", "model_id": "slow-chat"})
        self.assertEqual(r.status_code, 201, r.text)
        words = " ".join(f"w{i}" for i in range(200))  # 201 tokens at 80 ms: 16 s if not stopped
        s = HeldSocket(self.base("unichat"), token, send={"config_id": r.json()["config"]["id"], "message": words})
        self.sockets.append(s)
        seen = s.until("chunk", WAIT)
        self.assertIsNotNone(seen[-1], seen)
        # The ack follows the turn's start; under load the first chunk may come first.
        if not [l for l in seen if l["event"] == "ack"]:
            seen += s.until("ack", WAIT)
        self.assertTrue([l for l in seen if l and l["event"] == "ack" and l["ack"]["success"]], seen)
        return s

    def test_logout_stops_the_sockets_running_turn(self):
        email = self.register()
        a = self.login_unichat(email)
        before = self.fake.stats()["streams_disconnected"]
        s = self.slow_turn(a["access_token"])
        self.assertEqual(self.unichat("POST", "/api/auth/logout", a["access_token"]).status_code, 200)
        seen = s.until("disconnect", WAIT)
        self.assertEqual(seen[-1], {"event": "disconnect", "reason": "io server disconnect"}, seen)
        deadline = time.monotonic() + WAIT
        while self.fake.stats()["streams_disconnected"] == before and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.fake.stats()["streams_disconnected"], before + 1, "the turn ran on after the logout")

    def test_a_revoked_socket_starts_no_turn(self):
        email = self.register()
        a = self.login_unichat(email)
        s = self.slow_turn(a["access_token"])
        started = self.fake.stats()["streams_started"]
        self.assertEqual(self.unichat("POST", "/api/auth/logout", a["access_token"]).status_code, 200)
        try:
            s.proc.stdin.write("send\n")  # a new turn asked for right after the logout answered
            s.proc.stdin.flush()
        except BrokenPipeError:
            pass  # the client already heard its disconnect and exited: no turn can start
        seen = s.until("disconnect", WAIT)
        self.assertEqual(seen[-1], {"event": "disconnect", "reason": "io server disconnect"}, seen)
        time.sleep(1.0)
        self.assertEqual(self.fake.stats()["streams_started"], started, "a turn started after the logout")


class TokenClaimsTest(RevocationTestBase):
    """iss, aud and nbf, with tokens signed by the server's own key."""

    def key(self):
        with open(os.path.join(self.srv.data_dir, "jwt.key"), "rb") as f:
            return f.read().strip()

    def test_issuer_audience_and_not_before_are_checked_on_every_dialect(self):
        email = self.register()
        auth = self.login_unichat(email)
        claims = jwt.decode(auth["access_token"], self.key(), algorithms=["HS256"], audience="atrium")
        self.assertEqual((claims["iss"], claims["aud"]), ("atrium", "atrium"))
        self.assertLessEqual(claims["nbf"], time.time() + 1)
        now = int(time.time())
        forged = {
            "other issuer": dict(claims, iss="someone-else"),
            "no issuer": {k: v for k, v in claims.items() if k != "iss"},
            "other audience": dict(claims, aud="another-service"),
            "no audience": {k: v for k, v in claims.items() if k != "aud"},
            "not valid for an hour": dict(claims, nbf=now + 3600),
            "issued in an hour": dict(claims, iat=now + 3600, nbf=now + 3600, exp=now + 4500),
        }
        me = {"unichat": "/api/auth/me", "unamentis": "/api/auth/me", "secondbrain": "/api/v1/user/profile"}
        for dialect, path in me.items():
            own = jwt.encode(dict(claims, jti=str(uuid.uuid4())), self.key(), algorithm="HS256")
            r = requests.get(self.srv.url(dialect, path), headers={"Authorization": f"Bearer {own}"}, timeout=10)
            self.assertEqual(r.status_code, 200, f"{dialect}: {r.text}")
            for name, payload in forged.items():
                with self.subTest(dialect=dialect, token=name):
                    token = jwt.encode(payload, self.key(), algorithm="HS256")
                    r = requests.get(self.srv.url(dialect, path), headers={"Authorization": f"Bearer {token}"},
                                     timeout=10)
                    self.assertEqual(r.status_code, 401, r.text)
        # The same forgeries at Socket.IO's CONNECT and mira's upgrade.
        for name, payload in forged.items():
            with self.subTest(where="socket.io", token=name):
                token = jwt.encode(payload, self.key(), algorithm="HS256")
                out = subprocess.run(["node", NODE_SCRIPT, json.dumps({"url": self.base("unichat"), "token": token})],
                                     capture_output=True, text=True, timeout=30)
                self.assertEqual(json.loads(out.stdout.splitlines()[0])["event"], "connect_error")
            with self.subTest(where="mira", token=name):
                token = jwt.encode(payload, self.key(), algorithm="HS256")
                r = requests.get(self.srv.url("mira", f"/ws/net_x?token={token}"), timeout=10,
                                 headers={"Connection": "Upgrade", "Upgrade": "websocket",
                                          "Sec-WebSocket-Version": "13",
                                          "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
                self.assertEqual(r.status_code, 401, r.text)


if __name__ == "__main__":
    unittest.main()
