"""UnaMentis authentication (spec: "Authentication", "Rate Limiting", "Error Handling"):
accounts, rotating refresh tokens with reuse detection, JWT access tokens checked with
PyJWT, devices, sessions, password changes and the per-route rate limits.

The main server trusts 127.0.0.1 as a proxy, so every test speaks from its own
X-Forwarded-For address and gets its own rate-limit buckets."""

import base64
import itertools
import json
import os
import re
import subprocess
import threading
import time
import unittest
import uuid

import jwt
import requests

from harness import AtriumServer, atrium_binary

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
PASSWORD = "correct-horse-7"
DEVICE = {"fingerprint": "device-uuid", "name": "Chrome on macOS", "type": "web", "model": "Chrome",
          "os_version": "120.0", "app_version": "1.0.0"}
_addresses = itertools.count(1)


def error(code, message, details=None):
    """The spec's error body: snake-case `error`, upper-case `code`."""
    return {"error": code, "message": message, "code": code.upper(), "details": details or {}}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unverified_claims(token):
    return jwt.decode(token, options={"verify_signature": False})


class Client:
    """One client address (X-Forwarded-For) talking to the unamentis port."""

    def __init__(self, srv, user_agent="UnaMentisTest/1.0"):
        n = next(_addresses)
        self.ip = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        self.srv = srv
        self.session = requests.Session()
        self.session.headers.update({"X-Forwarded-For": self.ip, "User-Agent": user_agent})

    def call(self, method, path, body=None, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = "Bearer " + token
        kw = {"json": body} if body is not None else {}
        return self.session.request(method, self.srv.url("unamentis", path), headers=headers, timeout=30, **kw,
                                    **kwargs)

    def post(self, path, body=None, token=None, **kw):
        return self.call("POST", path, body, token, **kw)

    def get(self, path, token=None, **kw):
        return self.call("GET", path, None, token, **kw)


class AuthTestBase(unittest.TestCase):
    srv = None

    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"security": {"trusted_proxies": ["127.0.0.1"]}}).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        assert code == 0, log
        assert "runtime error:" not in log and "AddressSanitizer" not in log, log

    def setUp(self):
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.session.close()

    def client(self, **kw):
        c = Client(self.srv, **kw)
        self.clients.append(c)
        return c

    def expect(self, response, status, body):
        self.assertEqual((response.status_code, response.json()), (status, body), response.text)

    def register(self, email=None, password=PASSWORD, display_name="User Name", device=None):
        """Registers from a fresh address (register allows 3 per hour per address)."""
        email = email or f"user-{uuid.uuid4().hex[:12]}@example.com"
        body = {"email": email, "password": password, "display_name": display_name}
        if device:
            body["device"] = device
        r = self.client().post("/api/auth/register", body)
        self.assertEqual(r.status_code, 201, r.text)
        return email, r.json()

    def login(self, email, password=PASSWORD, device=DEVICE, client=None):
        client = client or self.client()
        r = client.post("/api/auth/login", {"email": email, "password": password, "device": device})
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()

    def signing_key(self):
        with open(os.path.join(self.srv.data_dir, "jwt.key"), "rb") as f:
            return f.read().strip()


class AuthFlowTest(AuthTestBase):
    def test_register_login_me_patch_refresh_logout(self):
        email, reg = self.register(display_name="User Name")
        self.assertTrue(UUID.match(reg["user"]["id"]))
        self.assertEqual(reg["user"], {"id": reg["user"]["id"], "email": email, "display_name": "User Name",
                                       "role": "user"})
        self.assertIsNone(reg["device"])  # no device was sent
        self.assertEqual(set(reg["tokens"]), {"access_token", "refresh_token", "token_type", "expires_in"})
        self.assertEqual((reg["tokens"]["token_type"], reg["tokens"]["expires_in"]), ("Bearer", 900))
        user_id = reg["user"]["id"]

        c = self.client()
        auth = self.login(email, client=c)
        self.assertEqual(auth["user"], reg["user"])
        self.assertTrue(UUID.match(auth["device"]["id"]))
        self.assertEqual(list(auth["device"]), ["id"])
        self.assertEqual((auth["tokens"]["token_type"], auth["tokens"]["expires_in"]), ("Bearer", 900))
        access = auth["tokens"]["access_token"]

        me = c.get("/api/auth/me", access)
        self.assertEqual(me.status_code, 200, me.text)
        profile = me.json()["user"]
        self.assertTrue(TS.match(profile["created_at"]) and TS.match(profile["last_login_at"]), profile)
        self.assertEqual(profile, {"id": user_id, "email": email, "email_verified": False,
                                   "display_name": "User Name", "avatar_url": None, "locale": "en-US",
                                   "timezone": "UTC", "role": "user", "mfa_enabled": False,
                                   "created_at": profile["created_at"], "last_login_at": profile["last_login_at"]})

        change = {"display_name": "New Name", "avatar_url": "https://cdn.example.com/a.png", "locale": "de-DE",
                  "timezone": "America/Los_Angeles"}
        patched = c.call("PATCH", "/api/auth/me", change, access)
        self.assertEqual(patched.status_code, 200, patched.text)
        self.assertEqual(patched.json(), {"user": dict(profile, **change)})
        self.expect(c.get("/api/auth/me", access), 200, {"user": dict(profile, **change)})
        cleared = c.call("PATCH", "/api/auth/me", {"avatar_url": None}, access)
        self.assertIsNone(cleared.json()["user"]["avatar_url"])

        refreshed = c.post("/api/auth/refresh", {"refresh_token": auth["tokens"]["refresh_token"]})
        self.assertEqual(refreshed.status_code, 200, refreshed.text)
        tokens = refreshed.json()["tokens"]
        self.assertEqual(list(refreshed.json()), ["tokens"])
        self.assertEqual((tokens["token_type"], tokens["expires_in"]), ("Bearer", 900))
        self.assertNotEqual(tokens["refresh_token"], auth["tokens"]["refresh_token"])
        self.assertNotEqual(tokens["access_token"], access)
        self.assertEqual(c.get("/api/auth/me", tokens["access_token"]).status_code, 200)

        self.expect(c.post("/api/auth/logout", {"refresh_token": tokens["refresh_token"], "all_devices": False}),
                    200, {"message": "Logged out successfully"})
        self.expect(c.get("/api/auth/me", tokens["access_token"]), 401,
                    error("session_revoked", "Session has been revoked"))
        self.expect(c.post("/api/auth/refresh", {"refresh_token": tokens["refresh_token"]}), 401,
                    error("invalid_token", "Invalid refresh token"))
        # The registration's own session is a different one and still works.
        self.assertEqual(c.get("/api/auth/me", reg["tokens"]["access_token"]).status_code, 200)

    def test_register_with_device_and_errors(self):
        email, reg = self.register(device=DEVICE)
        self.assertTrue(UUID.match(reg["device"]["id"]))
        c = self.client()
        devices = c.get("/api/auth/devices", reg["tokens"]["access_token"]).json()["devices"]
        self.assertEqual([d["id"] for d in devices], [reg["device"]["id"]])
        # Logging in from the same fingerprint is the same device.
        self.assertEqual(self.login(email)["device"]["id"], reg["device"]["id"])

        cases = [
            ({"email": "not-an-email", "password": PASSWORD}, 400, error("invalid_email", "Invalid email format")),
            ({"email": "x@example.com", "password": "short1"}, 400,
             error("weak_password", "Password must be at least 8 characters and include a letter and a number")),
            ({"email": "x@example.com", "password": "lettersonly"}, 400,
             error("weak_password", "Password must be at least 8 characters and include a letter and a number")),
            ({"email": "x@example.com", "password": "1234567890"}, 400,
             error("weak_password", "Password must be at least 8 characters and include a letter and a number")),
            ({"email": email, "password": PASSWORD}, 409, error("email_exists", "Email already registered")),
            ({"email": email.upper(), "password": PASSWORD}, 409, error("email_exists", "Email already registered")),
            ({"password": PASSWORD}, 400, error("missing_field", "email is required", {"field": "email"})),
            ({"email": "x@example.com"}, 400, error("missing_field", "password is required", {"field": "password"})),
            ({"email": 7, "password": PASSWORD}, 400,
             error("validation_error", "email must be a string", {"field": "email"})),
            ({"email": "x@example.com", "password": PASSWORD, "device": {"name": "no fingerprint"}}, 400,
             error("missing_field", "device.fingerprint is required", {"field": "device.fingerprint"})),
        ]
        for body, status, expected in cases:
            with self.subTest(body=body):
                self.expect(self.client().post("/api/auth/register", body), status, expected)
        r = self.client().post("/api/auth/register", data=b"{nope", headers={"Content-Type": "application/json"})
        self.expect(r, 400, error("invalid_json", "Malformed JSON in request body"))

    def test_login_errors(self):
        email, _ = self.register()
        cases = [
            ({"email": email, "device": DEVICE}, 400, error("missing_credentials", "Email and password are required")),
            ({"password": PASSWORD, "device": DEVICE}, 400,
             error("missing_credentials", "Email and password are required")),
            ({"email": email, "password": PASSWORD}, 400, error("missing_device", "Device info is required")),
            ({"email": email, "password": PASSWORD, "device": None}, 400,
             error("missing_device", "Device info is required")),
            ({"email": email, "password": PASSWORD, "device": "phone"}, 400,
             error("validation_error", "device must be an object", {"field": "device"})),
            ({"email": email, "password": PASSWORD, "device": {"name": 5, "fingerprint": "f"}}, 400,
             error("validation_error", "device.name must be a string", {"field": "device.name"})),
            ({"email": email, "password": "wrong-password-1", "device": DEVICE}, 401,
             error("invalid_credentials", "Invalid email or password")),
            ({"email": "nobody@example.com", "password": PASSWORD, "device": DEVICE}, 401,
             error("invalid_credentials", "Invalid email or password")),
        ]
        for body, status, expected in cases:
            with self.subTest(body=body):
                self.expect(self.client().post("/api/auth/login", body), status, expected)
        # The email is matched without regard to case.
        self.assertEqual(self.login(email.upper())["user"]["email"], email)

    def test_profile_validation(self):
        _, reg = self.register()
        token = reg["tokens"]["access_token"]
        c = self.client()
        cases = [
            ({"display_name": "  "}, error("validation_error", "display_name must not be empty",
                                           {"field": "display_name"})),
            ({"display_name": "x" * 101}, error("validation_error", "display_name must be at most 100 characters",
                                                {"field": "display_name"})),
            ({"avatar_url": "javascript:alert(1)"}, error("validation_error", "avatar_url must be an http(s) URL",
                                                          {"field": "avatar_url"})),
            ({"locale": "en US"}, error("validation_error", "locale must be a language tag such as en-US",
                                        {"field": "locale"})),
            ({"timezone": "../etc/passwd"},
             error("validation_error", "timezone must be a time zone name such as America/New_York",
                   {"field": "timezone"})),
            ({"timezone": 3}, error("validation_error", "timezone must be a string", {"field": "timezone"})),
        ]
        for body, expected in cases:
            with self.subTest(body=body):
                self.expect(c.call("PATCH", "/api/auth/me", body, token), 400, expected)
        self.assertEqual(c.get("/api/auth/me", token).json()["user"]["display_name"], "User Name")
        # The limit counts characters, not bytes: 100 Cyrillic letters (200 bytes) fit.
        r = c.call("PATCH", "/api/auth/me", {"display_name": "Ж" * 100}, token)
        self.assertEqual(r.status_code, 200, r.text)


class RefreshTokenTest(AuthTestBase):
    def test_reuse_revokes_the_family(self):
        email, _ = self.register()
        c = self.client()
        first = self.login(email, client=c)["tokens"]
        r = c.post("/api/auth/refresh", {"refresh_token": first["refresh_token"]})
        self.assertEqual(r.status_code, 200, r.text)
        second = r.json()["tokens"]
        self.assertEqual(c.get("/api/auth/me", second["access_token"]).status_code, 200)

        # The rotated-away token comes back: someone holds a copy.
        self.expect(c.post("/api/auth/refresh", {"refresh_token": first["refresh_token"]}), 401,
                    error("token_reused", "Refresh token already used; session revoked"))
        # The whole family is gone: the newer refresh token and its access token too.
        self.expect(c.post("/api/auth/refresh", {"refresh_token": second["refresh_token"]}), 401,
                    error("invalid_token", "Invalid refresh token"))
        self.expect(c.get("/api/auth/me", second["access_token"]), 401,
                    error("session_revoked", "Session has been revoked"))

    def test_parallel_refresh_with_one_token_succeeds_once(self):
        email, _ = self.register()
        token = self.login(email)["tokens"]["refresh_token"]
        clients = [self.client() for _ in range(8)]
        barrier = threading.Barrier(len(clients))
        results = [None] * len(clients)

        def run(i):
            barrier.wait()
            r = clients[i].post("/api/auth/refresh", {"refresh_token": token})
            results[i] = (r.status_code, r.json())

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        winners = [body for status, body in results if status == 200]
        self.assertEqual(len(winners), 1, results)
        # Refreshes run one at a time: the first loser finds the token spent and revokes
        # the family; the others then find it revoked.
        losers = sorted((json.dumps(body) for status, body in results if status != 200))
        self.assertEqual([json.loads(b) for b in losers],
                         [error("invalid_token", "Invalid refresh token")] * 6 +
                         [error("token_reused", "Refresh token already used; session revoked")], results)
        self.expect(self.client().post("/api/auth/refresh", {"refresh_token": winners[0]["tokens"]["refresh_token"]}),
                    401, error("invalid_token", "Invalid refresh token"))

    def test_refresh_errors(self):
        c = self.client()
        self.expect(c.post("/api/auth/refresh", {}), 400, error("missing_token", "Refresh token is required"))
        self.expect(c.post("/api/auth/refresh", {"refresh_token": ""}), 400,
                    error("missing_token", "Refresh token is required"))
        self.expect(c.post("/api/auth/refresh", {"refresh_token": "made-up"}), 401,
                    error("invalid_token", "Invalid refresh token"))
        self.expect(c.post("/api/auth/refresh", {"refresh_token": 12}), 400,
                    error("validation_error", "refresh_token must be a string", {"field": "refresh_token"}))


class AccessTokenTest(AuthTestBase):
    def test_tokens_verify_with_the_data_dir_key(self):
        email, reg = self.register()
        auth = self.login(email)
        token = auth["tokens"]["access_token"]
        self.assertEqual(jwt.get_unverified_header(token), {"alg": "HS256", "typ": "JWT"})
        claims = jwt.decode(token, self.signing_key(), algorithms=["HS256"], audience="atrium")
        for claim in ("sub", "iat", "exp", "jti", "sid", "typ"):
            self.assertIn(claim, claims)
        self.assertEqual(claims["sub"], reg["user"]["id"])
        self.assertEqual(claims["typ"], "access")
        self.assertEqual(claims["exp"] - claims["iat"], 900)
        self.assertTrue(UUID.match(claims["jti"]) and UUID.match(claims["sid"]))
        self.assertLessEqual(abs(claims["iat"] - time.time()), 60)
        self.assertNotEqual(unverified_claims(reg["tokens"]["access_token"])["sid"], claims["sid"])
        # The session the token names is the one listed for this login.
        sessions = self.client().get("/api/auth/sessions", token).json()["sessions"]
        self.assertIn(claims["sid"], [s["id"] for s in sessions])
        # A token the test signs itself with the same key is accepted: the key is the one.
        own = jwt.encode(dict(claims, jti=str(uuid.uuid4())), self.signing_key(), algorithm="HS256")
        self.assertEqual(self.client().get("/api/auth/me", own).status_code, 200)

    def test_forged_and_misused_tokens_are_rejected(self):
        email, _ = self.register()
        auth = self.login(email)
        token = auth["tokens"]["access_token"]
        claims = unverified_claims(token)
        key = self.signing_key()
        header, payload, signature = token.split(".")
        now = int(time.time())

        alg_none = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode()) + "." + payload + "."
        hs512 = jwt.encode(claims, key, algorithm="HS512")
        tampered_claims = dict(claims, role="admin")
        tampered = header + "." + b64url(json.dumps(tampered_claims).encode()) + "." + signature
        wrong_key = jwt.encode(claims, b"k" * 64, algorithm="HS256")
        invalid = error("invalid_token", "Invalid or malformed token")
        for name, forged in (("alg none", alg_none), ("HS512", hs512), ("tampered payload", tampered),
                             ("other key", wrong_key), ("refresh token", auth["tokens"]["refresh_token"]),
                             ("garbage", "not.a.jwt")):
            with self.subTest(token=name):
                self.expect(self.client().get("/api/auth/me", forged), 401, invalid)

        expired = jwt.encode(dict(claims, iat=now - 1000, exp=now - 100), key, algorithm="HS256")
        self.expect(self.client().get("/api/auth/me", expired), 401, error("token_expired", "Token has expired"))
        # Correctly signed but not an access token.
        typ_refresh = jwt.encode(dict(claims, typ="refresh"), key, algorithm="HS256")
        self.expect(self.client().get("/api/auth/me", typ_refresh), 401, invalid)
        # Correctly signed for a session that does not exist.
        ghost = jwt.encode(dict(claims, sid=str(uuid.uuid4())), key, algorithm="HS256")
        self.expect(self.client().get("/api/auth/me", ghost), 401, error("session_revoked", "Session has been revoked"))

        self.expect(self.client().get("/api/auth/me"), 401, error("unauthorized", "Authentication required"))
        self.expect(self.client().get("/api/auth/me", headers={"Authorization": "Basic dXNlcjpwdw=="}), 401,
                    error("unauthorized", "Authentication required"))
        # The genuine token still works after all that.
        self.assertEqual(self.client().get("/api/auth/me", token).status_code, 200)


class DevicesAndSessionsTest(AuthTestBase):
    def test_users_cannot_see_or_remove_each_others_devices_and_sessions(self):
        email_a, _ = self.register()
        email_b, _ = self.register()
        a = self.login(email_a, device=dict(DEVICE, fingerprint="a-phone", name="A's phone", type="ios"))
        b = self.login(email_b, device=dict(DEVICE, fingerprint="b-laptop", name="B's laptop"))
        ta, tb = a["tokens"]["access_token"], b["tokens"]["access_token"]
        ca, cb = self.client(), self.client()

        devices_a = ca.get("/api/auth/devices", ta).json()
        sessions_a = ca.get("/api/auth/sessions", ta).json()
        self.assertEqual([d["id"] for d in devices_a["devices"]], [a["device"]["id"]])
        self.assertEqual([d["id"] for d in cb.get("/api/auth/devices", tb).json()["devices"]], [b["device"]["id"]])
        session_a = unverified_claims(ta)["sid"]
        self.assertIn(session_a, [s["id"] for s in sessions_a["sessions"]])
        self.assertNotIn(session_a, [s["id"] for s in cb.get("/api/auth/sessions", tb).json()["sessions"]])

        self.expect(cb.call("DELETE", f"/api/auth/devices/{a['device']['id']}", token=tb), 404,
                    error("not_found", "Device not found"))
        self.expect(cb.call("DELETE", f"/api/auth/sessions/{session_a}", token=tb), 404,
                    error("not_found", "Session not found"))
        self.expect(cb.call("DELETE", f"/api/auth/devices/{uuid.uuid4()}", token=tb), 404,
                    error("not_found", "Device not found"))
        self.expect(ca.get("/api/auth/devices", ta), 200, devices_a)
        self.assertEqual(ca.get("/api/auth/sessions", ta).json(), sessions_a)
        self.assertEqual(ca.get("/api/auth/me", ta).status_code, 200)

    def test_list_shapes_and_removal(self):
        email, _ = self.register()
        phone = dict(DEVICE, fingerprint="phone-1", name="iPhone", type="ios", model="iPhone 15")
        c1, c2 = self.client(), self.client(user_agent="UnaMentis-iOS/2.0")
        first = self.login(email, device=DEVICE, client=c1)
        second = self.login(email, device=phone, client=c2)
        t1, t2 = first["tokens"]["access_token"], second["tokens"]["access_token"]

        devices = {d["id"]: d for d in c1.get("/api/auth/devices", t1).json()["devices"]}
        d2 = devices[second["device"]["id"]]
        self.assertTrue(TS.match(d2["last_seen_at"]) and TS.match(d2["created_at"]))
        self.assertEqual(d2, {"id": second["device"]["id"], "name": "iPhone", "type": "ios", "model": "iPhone 15",
                              "os_version": "120.0", "app_version": "1.0.0", "is_trusted": False,
                              "last_seen_at": d2["last_seen_at"], "created_at": d2["created_at"]})

        sessions = {s["id"]: s for s in c1.get("/api/auth/sessions", t1).json()["sessions"]}
        sid2 = unverified_claims(t2)["sid"]
        s2 = sessions[sid2]
        self.assertEqual(s2, {"id": sid2, "ip_address": c2.ip, "user_agent": "UnaMentis-iOS/2.0",
                              "location": {"country": None, "city": None},
                              "device": {"name": "iPhone", "type": "ios"},
                              "created_at": s2["created_at"], "last_activity_at": s2["last_activity_at"]})

        # Terminating the other session signs it out; this one stays.
        self.expect(c1.call("DELETE", f"/api/auth/sessions/{sid2}", token=t1), 200, {"message": "Session terminated"})
        self.expect(c2.get("/api/auth/me", t2), 401, error("session_revoked", "Session has been revoked"))
        self.expect(c2.post("/api/auth/refresh", {"refresh_token": second["tokens"]["refresh_token"]}), 401,
                    error("invalid_token", "Invalid refresh token"))
        self.assertNotIn(sid2, [s["id"] for s in c1.get("/api/auth/sessions", t1).json()["sessions"]])
        self.assertEqual(c1.get("/api/auth/me", t1).status_code, 200)

        # Removing a device ends its sessions and drops it from the list.
        third = self.login(email, device=phone, client=c2)
        self.expect(c1.call("DELETE", f"/api/auth/devices/{third['device']['id']}", token=t1), 200,
                    {"message": "Device removed successfully"})
        self.expect(c2.get("/api/auth/me", third["tokens"]["access_token"]), 401,
                    error("session_revoked", "Session has been revoked"))
        self.assertEqual([d["id"] for d in c1.get("/api/auth/devices", t1).json()["devices"]], [first["device"]["id"]])


class PasswordAndLogoutTest(AuthTestBase):
    def test_password_change_revokes_other_sessions_only(self):
        email, _ = self.register()
        c1, c2 = self.client(), self.client()
        here = self.login(email, client=c1)["tokens"]
        there = self.login(email, device=dict(DEVICE, fingerprint="other"), client=c2)["tokens"]

        cases = [
            ({"current_password": "wrong-password-1", "new_password": "brand-new-pass-2"}, 401,
             error("invalid_credentials", "Current password is incorrect")),
            ({"current_password": PASSWORD, "new_password": "weak"}, 400,
             error("weak_password", "Password must be at least 8 characters and include a letter and a number")),
            ({"new_password": "brand-new-pass-2"}, 400,
             error("missing_field", "current_password is required", {"field": "current_password"})),
            ({"current_password": PASSWORD}, 400,
             error("missing_field", "new_password is required", {"field": "new_password"})),
        ]
        for body, status, expected in cases:
            with self.subTest(body=body):
                self.expect(c1.post("/api/auth/password", body, here["access_token"]), status, expected)
        self.assertEqual(c2.get("/api/auth/me", there["access_token"]).status_code, 200)

        self.expect(c1.post("/api/auth/password", {"current_password": PASSWORD, "new_password": "brand-new-pass-2"},
                            here["access_token"]), 200, {"message": "Password changed successfully"})
        self.expect(c2.get("/api/auth/me", there["access_token"]), 401,
                    error("session_revoked", "Session has been revoked"))
        self.expect(c2.post("/api/auth/refresh", {"refresh_token": there["refresh_token"]}), 401,
                    error("invalid_token", "Invalid refresh token"))
        self.assertEqual(c1.get("/api/auth/me", here["access_token"]).status_code, 200)
        self.assertEqual(c1.post("/api/auth/refresh", {"refresh_token": here["refresh_token"]}).status_code, 200)

        self.expect(self.client().post("/api/auth/login", {"email": email, "password": PASSWORD, "device": DEVICE}),
                    401, error("invalid_credentials", "Invalid email or password"))
        self.login(email, password="brand-new-pass-2")

    def test_logout_forms(self):
        email, _ = self.register()
        c = self.client()
        # With the bearer token alone (no body): ends this session.
        one = self.login(email, client=c)["tokens"]
        self.expect(c.post("/api/auth/logout", token=one["access_token"]), 200, {"message": "Logged out successfully"})
        self.expect(c.get("/api/auth/me", one["access_token"]), 401,
                    error("session_revoked", "Session has been revoked"))

        # all_devices with a refresh token: every session of the user ends.
        two = self.login(email)["tokens"]
        three = self.login(email, device=dict(DEVICE, fingerprint="tablet"))["tokens"]
        self.expect(c.post("/api/auth/logout", {"refresh_token": two["refresh_token"], "all_devices": True}), 200,
                    {"message": "Logged out successfully"})
        for tokens in (two, three):
            self.expect(c.get("/api/auth/me", tokens["access_token"]), 401,
                        error("session_revoked", "Session has been revoked"))

        self.expect(c.post("/api/auth/logout", {}), 400,
                    error("missing_token", "A refresh token or an access token is required"))
        self.expect(c.post("/api/auth/logout", {"refresh_token": "made-up"}), 401,
                    error("invalid_token", "Invalid refresh token"))
        self.expect(c.post("/api/auth/logout", {"refresh_token": three["refresh_token"], "all_devices": "yes"}), 400,
                    error("validation_error", "all_devices must be a boolean", {"field": "all_devices"}))
        self.expect(c.post("/api/auth/logout", token="not.a.jwt"), 401,
                    error("invalid_token", "Invalid or malformed token"))

    def test_banned_account(self):
        email, _ = self.register()
        tokens = self.login(email)["tokens"]
        r = subprocess.run([atrium_binary(), "user", "ban", "--email", email, "--reason", "spam", "--config",
                            os.path.join(self.srv.workdir, "atrium.toml")],
                           cwd=self.srv.workdir, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        c = self.client()
        self.expect(c.get("/api/auth/me", tokens["access_token"]), 401,
                    error("session_revoked", "Session has been revoked"))
        # The spec has one code for an account that may not sign in.
        self.expect(c.post("/api/auth/login", {"email": email, "password": PASSWORD, "device": DEVICE}), 401,
                    error("account_inactive", "Account is banned"))
        self.expect(c.post("/api/auth/refresh", {"refresh_token": tokens["refresh_token"]}), 401,
                    error("invalid_token", "Invalid refresh token"))


class RateLimitTest(AuthTestBase):
    def check_headers(self, r, limit, window, remaining=None):
        self.assertEqual(r.headers["X-RateLimit-Limit"], str(limit))
        self.assertEqual(r.headers["X-RateLimit-Window"], str(window))
        self.assertGreaterEqual(int(r.headers["X-RateLimit-Reset"]), int(time.time()) - 1)
        if remaining is not None:
            self.assertEqual(r.headers["X-RateLimit-Remaining"], str(remaining))

    def test_sixth_login_in_a_minute_is_429(self):
        email, _ = self.register()
        c = self.client()
        body = {"email": email, "password": PASSWORD, "device": DEVICE}
        for i in range(5):
            # Failures count too: the limit is per address, whatever the outcome.
            r = c.post("/api/auth/login", body if i % 2 == 0 else {"email": email})
            self.assertIn(r.status_code, (200, 400), r.text)
            self.check_headers(r, 5, 60, remaining=4 - i)
        r = c.post("/api/auth/login", body)
        self.assertEqual(r.status_code, 429, r.text)
        retry = r.json()["retry_after"]
        self.assertEqual(r.json(), {"error": "Rate limit exceeded", "code": "RATE_LIMIT_EXCEEDED",
                                    "retry_after": retry})
        self.assertTrue(1 <= retry <= 12, retry)
        self.assertEqual(r.headers["Retry-After"], str(retry))
        self.check_headers(r, 5, 60, remaining=0)
        # Another address is not affected.
        self.assertEqual(self.client().post("/api/auth/login", body).status_code, 200)

    def test_register_and_refresh_limits(self):
        c = self.client()
        for i in range(3):
            r = c.post("/api/auth/register", {"email": f"rl-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD})
            self.assertEqual(r.status_code, 201, r.text)
            self.check_headers(r, 3, 3600, remaining=2 - i)
        r = c.post("/api/auth/register", {"email": "late@example.com", "password": PASSWORD})
        self.assertEqual(r.status_code, 429, r.text)
        self.assertEqual(r.json(), {"error": "Rate limit exceeded", "code": "RATE_LIMIT_EXCEEDED",
                                    "retry_after": int(r.headers["Retry-After"])})
        self.assertGreater(int(r.headers["Retry-After"]), 60)  # 3 per hour: one comes back every 20 minutes

        c = self.client()
        for sent in range(20):  # burst 10, refilled at one a second
            r = c.post("/api/auth/refresh", {"refresh_token": "made-up"})
            if r.status_code == 429:
                break
            self.assertEqual(r.status_code, 401)
            self.check_headers(r, 60, 60)
        self.assertEqual((r.status_code, r.json()["code"]), (429, "RATE_LIMIT_EXCEEDED"))
        self.assertGreaterEqual(sent, 10)

    def test_general_limits_and_health_exemption(self):
        c = self.client()
        r = c.get("/health")
        self.assertEqual(r.status_code, 200)
        self.assertFalse([h for h in r.headers if h.lower().startswith("x-ratelimit")], r.headers)

        r = c.get("/api/logs")
        self.assertEqual(r.status_code, 200)
        self.check_headers(r, 100, 60, remaining=19)
        r = c.get("/api/auth/me")  # no token: counts as unauthenticated
        self.assertEqual(r.status_code, 401)
        self.check_headers(r, 100, 60, remaining=18)
        # The burst is 20 and the bucket refills at 100/60 s: well within 30 more it runs dry.
        for sent in range(30):
            r = c.post("/api/logs", {"message": "rate", "label": "rl"})
            if r.status_code == 429:
                break
            self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.status_code, 429)
        self.assertGreaterEqual(sent, 18)
        self.assertEqual(r.json(), {"error": "Rate limit exceeded", "code": "RATE_LIMIT_EXCEEDED",
                                    "retry_after": int(r.headers["Retry-After"])})

        _, reg = self.register()
        r = c.get("/api/auth/me", reg["tokens"]["access_token"])  # signed in: the user's own bucket
        self.assertEqual(r.status_code, 200)
        self.check_headers(r, 1000, 60, remaining=99)


class UnlimitedServerTest(unittest.TestCase):
    """Behaviour the rate limits would hide: the core's lockout after failed logins."""

    def test_account_locked_after_repeated_failures(self):
        with AtriumServer(config={"security": {"rate_limits": False}}) as srv:
            url = srv.url("unamentis", "/api/auth/")
            self.assertEqual(requests.post(url + "register", json={"email": "lock@example.com", "password": PASSWORD},
                                           timeout=30).status_code, 201)
            wrong = {"email": "lock@example.com", "password": "wrong-password-1", "device": DEVICE}
            for _ in range(5):
                r = requests.post(url + "login", json=wrong, timeout=30)
                self.assertEqual(r.status_code, 401)
                self.assertNotIn("X-RateLimit-Limit", r.headers)
            r = requests.post(url + "login", json=dict(wrong, password=PASSWORD), timeout=30)
            self.assertEqual(r.status_code, 401)
            body = r.json()
            self.assertRegex(body["message"], r"^Too many failed attempts; try again in \d+ seconds$")
            self.assertEqual(body, error("account_locked", body["message"]))


if __name__ == "__main__":
    unittest.main()
