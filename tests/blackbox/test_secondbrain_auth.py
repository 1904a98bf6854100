"""Secondbrain auth and user endpoints, end to end, against second-brain-api.md
("Authentication", "User & Settings", "Error Codes", "Rate Limiting").

The server trusts 127.0.0.1 as a proxy, so each test picks its own client address with
X-Forwarded-For: the Authentication budget (5 requests per 15 minutes per address,
shared by register, login and refresh) then belongs to one test, and the rate-limit
test can spend it on purpose.
"""

import itertools
import re
import time
import unittest

import jwt
import requests

from harness import AtriumServer

PASSWORD = "SecureP@ssw0rd123"
NEW_PASSWORD = "NewP@ssw0rd4567"

RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
REFRESH = re.compile(r"^[A-Za-z0-9_-]{43}$")  # 256 bits, base64url without padding

DEFAULT_PREFERENCES = {
    "theme": "dark",
    "voiceEnabled": True,
    "defaultModel": "mistral-7b-instruct",
    "memoryRetention": "high",
    "privacyMode": False,
    "language": "en",
    "notifications": {"email": False, "push": False},
    "chat": {"temperature": 0.7, "maxTokens": 512, "streamResponses": True},
}

_addresses = (f"10.{i // 250}.{i % 250}.1" for i in itertools.count(1))
_names = itertools.count(1)


class Client:
    """Talks to secondbrain as one client address, under /api or /api/v1."""

    def __init__(self, srv, prefix="/api"):
        self.srv = srv
        self.prefix = prefix
        self.address = next(_addresses)

    def request(self, method, path, token=None, **kw):
        headers = dict(kw.pop("headers", {}))
        headers["X-Forwarded-For"] = self.address
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.srv.url("secondbrain", self.prefix + path), headers=headers,
                                timeout=30, **kw)

    def register(self, email, username, password=PASSWORD):
        return self.request("POST", "/auth/register", json={"email": email, "username": username, "password": password})

    def login(self, email, password=PASSWORD):
        return self.request("POST", "/auth/login", json={"email": email, "password": password})

    def refresh(self, token):
        return self.request("POST", "/auth/refresh", json={"refreshToken": token})


def unique():
    n = next(_names)
    return f"user{n}@example.com", f"user_{n}"


class SecondbrainAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"security": {"trusted_proxies": ["127.0.0.1"]}}).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        assert code == 0, code
        # Sanitizer builds report here without always changing the exit code.
        assert "ERROR: AddressSanitizer" not in log and "runtime error:" not in log, log

    # --- helpers -----------------------------------------------------------------

    def client(self, prefix="/api"):
        return Client(self.srv, prefix)

    def assert_error(self, r, status, type_, code, message, details=None):
        """The spec's error body, exactly, with requestId and timestamp checked by format."""
        self.assertEqual(r.status_code, status, r.text)
        self.assertEqual(r.headers["Content-Type"], "application/json")
        body = r.json()
        self.assertEqual(set(body), {"error"})
        err = body["error"]
        self.assertEqual(set(err), {"type", "message", "code", "details", "requestId", "timestamp"})
        self.assertEqual((err["type"], err["code"], err["message"]), (type_, code, message))
        self.assertEqual(err["details"], details if details is not None else {})
        self.assertRegex(err["requestId"], UUID)
        self.assertEqual(err["requestId"], r.headers["X-Request-Id"])
        self.assertRegex(err["timestamp"], RFC3339_MS)
        return err

    def assert_rate_headers(self, r, limit, remaining=None):
        self.assertEqual(r.headers["X-RateLimit-Limit"], str(limit))
        if remaining is not None:
            self.assertEqual(r.headers["X-RateLimit-Remaining"], str(remaining))
        self.assertGreaterEqual(int(r.headers["X-RateLimit-Reset"]), int(time.time()) - 1)

    def assert_tokens(self, tokens, user_id):
        self.assertEqual(set(tokens), {"accessToken", "refreshToken", "expiresIn"})
        self.assertRegex(tokens["accessToken"], JWT)
        self.assertRegex(tokens["refreshToken"], REFRESH)
        self.assertEqual(tokens["expiresIn"], 900)
        claims = jwt.decode(tokens["accessToken"], options={"verify_signature": False})
        self.assertEqual(claims["sub"], user_id)
        self.assertEqual(claims["exp"] - claims["iat"], 900)

    def signed_up(self, c=None):
        """Registers a fresh user; returns (client, email, username, register body)."""
        c = c or self.client()
        email, username = unique()
        r = c.register(email, username)
        self.assertEqual(r.status_code, 201, r.text)
        return c, email, username, r.json()

    # --- the whole path ----------------------------------------------------------

    def check_flow(self, prefix):
        c = self.client(prefix)
        email, username = unique()

        r = c.register(email, username)
        self.assertEqual(r.status_code, 201, r.text)
        self.assertEqual(r.headers["X-API-Version"], "1.0.0")
        self.assert_rate_headers(r, 5, 4)
        body = r.json()
        self.assertEqual(set(body), {"user", "tokens"})
        user = body["user"]
        self.assertEqual(set(user), {"id", "email", "username", "createdAt"})
        self.assertRegex(user["id"], UUID)
        self.assertEqual((user["email"], user["username"]), (email, username))
        self.assertRegex(user["createdAt"], RFC3339_MS)
        user_id = user["id"]
        self.assert_tokens(body["tokens"], user_id)

        r = c.login(email.upper())  # emails are case-insensitive
        self.assertEqual(r.status_code, 200, r.text)
        self.assert_rate_headers(r, 5, 3)
        body = r.json()
        self.assertEqual(set(body), {"user", "tokens"})
        self.assertEqual(body["user"], {"id": user_id, "email": email, "username": username})
        self.assert_tokens(body["tokens"], user_id)
        tokens = body["tokens"]

        r = c.request("GET", "/user/profile", token=tokens["accessToken"])
        self.assertEqual(r.status_code, 200, r.text)
        self.assert_rate_headers(r, 1000, 999)
        profile = r.json()
        self.assertEqual(set(profile), {"user"})
        self.assertEqual(profile["user"], {
            "id": user_id, "email": email, "username": username, "createdAt": user["createdAt"],
            "stats": {"totalConversations": 0, "totalMessages": 0, "totalDocuments": 0, "totalMemories": 0,
                      "tokensUsed": 0}})

        r = c.refresh(tokens["refreshToken"])
        self.assertEqual(r.status_code, 200, r.text)
        self.assert_rate_headers(r, 5, 2)
        fresh = r.json()
        self.assert_tokens(fresh, user_id)
        self.assertNotEqual(fresh["refreshToken"], tokens["refreshToken"])
        # The new access token belongs to the same session.
        old_sid = jwt.decode(tokens["accessToken"], options={"verify_signature": False})["sid"]
        new_sid = jwt.decode(fresh["accessToken"], options={"verify_signature": False})["sid"]
        self.assertEqual(old_sid, new_sid)

        r = c.request("GET", "/user/profile", token=fresh["accessToken"])
        self.assertEqual(r.status_code, 200)
        self.assert_rate_headers(r, 1000, 998)

        r = c.request("POST", "/auth/logout", token=fresh["accessToken"])
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json(), {"message": "Logged out successfully"})
        self.assert_rate_headers(r, 1000, 997)

        # The session is gone: its access tokens and its refresh token stop working.
        for token in (fresh["accessToken"], tokens["accessToken"]):
            r = c.request("GET", "/user/profile", token=token)
            self.assert_error(r, 401, "AUTH_ERROR", "AUTH_003", "Session has been revoked")
        r = c.refresh(fresh["refreshToken"])
        self.assert_error(r, 401, "AUTH_ERROR", "AUTH_003", "Invalid refresh token")

    def test_flow_under_api(self):
        self.check_flow("/api")

    def test_flow_under_api_v1(self):
        self.check_flow("/api/v1")

    def test_tokens_work_across_versions(self):
        c, email, _, body = self.signed_up(self.client("/api/v1"))
        r = requests.get(self.srv.url("secondbrain", "/api/user/profile"),
                         headers={"Authorization": "Bearer " + body["tokens"]["accessToken"]}, timeout=10)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["user"]["email"], email)

    # --- refresh rotation --------------------------------------------------------

    def test_refresh_reuse_revokes_the_family(self):
        c, _, _, body = self.signed_up()
        first = body["tokens"]
        r = c.refresh(first["refreshToken"])
        self.assertEqual(r.status_code, 200)
        second = r.json()

        # The spent token comes back: someone holds a copy.
        r = c.refresh(first["refreshToken"])
        self.assert_error(r, 401, "AUTH_ERROR", "AUTH_003", "Refresh token already used; session revoked")
        # The whole family is dead: the rotated token and every access token of the session.
        r = c.refresh(second["refreshToken"])
        self.assert_error(r, 401, "AUTH_ERROR", "AUTH_003", "Invalid refresh token")
        for token in (first["accessToken"], second["accessToken"]):
            r = c.request("GET", "/user/profile", token=token)
            self.assert_error(r, 401, "AUTH_ERROR", "AUTH_003", "Session has been revoked")

    def test_refresh_errors(self):
        c = self.client()
        r = c.refresh("not-a-token")
        self.assert_error(r, 401, "AUTH_ERROR", "AUTH_003", "Invalid refresh token")
        self.assert_rate_headers(r, 5, 4)
        r = c.request("POST", "/auth/refresh", json={})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001", "refreshToken is required", {"field": "refreshToken"})
        r = c.request("POST", "/auth/refresh", json={"refreshToken": 7})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001", "refreshToken must be a string",
                          {"field": "refreshToken"})

    # --- registration and login errors -------------------------------------------

    def test_register_validation(self):
        email, username = unique()
        cases = [
            ({"email": "invalid-email", "username": username, "password": PASSWORD},
             "Invalid email format", {"field": "email", "value": "invalid-email"}),
            ({"username": username, "password": PASSWORD}, "email is required", {"field": "email"}),
            ({"email": email, "password": PASSWORD}, "username is required", {"field": "username"}),
            ({"email": email, "username": 42, "password": PASSWORD}, "username must be a string",
             {"field": "username"}),
            ({"email": email, "username": "ab", "password": PASSWORD},
             "Username must be 3-20 characters: letters, numbers and underscores", {"field": "username", "value": "ab"}),
            ({"email": email, "username": "a" * 21, "password": PASSWORD},
             "Username must be 3-20 characters: letters, numbers and underscores",
             {"field": "username", "value": "a" * 21}),
            ({"email": email, "username": "bad-name", "password": PASSWORD},
             "Username must be 3-20 characters: letters, numbers and underscores",
             {"field": "username", "value": "bad-name"}),
            ({"email": email, "username": username}, "password is required", {"field": "password"}),
            ({"email": email, "username": username, "password": "short"},
             "Password must be at least 12 characters and include an uppercase letter, a number, a special character",
             {"field": "password"}),
            ({"email": email, "username": username, "password": "alllowercase123!"},
             "Password must be at least 12 characters and include an uppercase letter", {"field": "password"}),
            ({"email": email, "username": username, "password": "NoSpecialChars123"},
             "Password must be at least 12 characters and include a special character", {"field": "password"}),
            ({"email": email, "username": username, "password": "Sh0rt!pass"},
             "Password must be at least 12 characters", {"field": "password"}),
        ]
        for payload, message, details in cases:
            with self.subTest(payload=payload):
                r = self.client().request("POST", "/auth/register", json=payload)
                self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001", message, details)
                self.assert_rate_headers(r, 5, 4)

        r = self.client().request("POST", "/auth/register", data="{nope", headers={"Content-Type": "application/json"})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_002", "Malformed JSON in request body")
        r = self.client().request("POST", "/auth/register", json=[1, 2])
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_002", "Request body must be a JSON object")

        # Nothing above created the account.
        r = self.client().register(email, username)
        self.assertEqual(r.status_code, 201, r.text)

    def test_register_conflicts(self):
        _, email, username, _ = self.signed_up()
        other_email, other_username = unique()
        r = self.client().register(email.upper(), other_username)
        self.assert_error(r, 409, "CONFLICT", "CONF_001", "Email already registered", {"field": "email"})
        r = self.client().register(other_email, username.upper())
        self.assert_error(r, 409, "CONFLICT", "CONF_001", "Username already taken", {"field": "username"})

    def test_login_errors(self):
        c, email, _, _ = self.signed_up()
        unknown = c.login("nobody@example.com")
        wrong = c.login(email, "WrongP@ssw0rd123")
        # The same answer for an unknown email and a wrong password.
        for r in (unknown, wrong):
            self.assert_error(r, 401, "AUTH_ERROR", "AUTH_001", "Invalid email or password")
        strip = lambda r: {k: v for k, v in r.json()["error"].items() if k not in ("requestId", "timestamp")}
        self.assertEqual(strip(unknown), strip(wrong))

        c2 = self.client()
        r = c2.request("POST", "/auth/login", json={"email": email})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001", "password is required", {"field": "password"})
        r = c2.request("POST", "/auth/login", json={"email": 1, "password": PASSWORD})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001", "email must be a string", {"field": "email"})

    def test_missing_and_bad_tokens(self):
        c = self.client()
        for method, path in (("POST", "/auth/logout"), ("GET", "/user/profile"), ("PUT", "/user/profile"),
                             ("GET", "/user/preferences"), ("PUT", "/user/preferences")):
            with self.subTest(path=path):
                r = c.request(method, path, json={})
                self.assert_error(r, 401, "AUTH_ERROR", "AUTH_004", "Authentication required")
                # Refused requests carry the limit information too (the general limit of the address).
                self.assert_rate_headers(r, 1000)
        r = c.request("GET", "/user/profile", token="garbage")
        self.assert_error(r, 401, "AUTH_ERROR", "AUTH_003", "Invalid or malformed token")
        forged = jwt.encode({"sub": "x", "sid": "y", "exp": int(time.time()) + 60}, "k" * 32, algorithm="HS256")
        r = c.request("GET", "/user/profile", token=forged)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r.json()["error"]["code"], "AUTH_003")

    # --- profile -----------------------------------------------------------------

    def test_profile_update(self):
        c, email, username, body = self.signed_up()
        token = body["tokens"]["accessToken"]
        user_id = body["user"]["id"]
        created = body["user"]["createdAt"]

        # A username alone needs no password.
        new_email, new_username = unique()
        r = c.request("PUT", "/user/profile", token=token, json={"username": new_username})
        self.assertEqual(r.status_code, 200, r.text)
        self.assert_rate_headers(r, 1000)
        out = r.json()
        self.assertEqual(set(out), {"user", "message"})
        self.assertEqual(out["message"], "Profile updated successfully")
        self.assertEqual(set(out["user"]), {"id", "email", "username", "updatedAt"})
        self.assertEqual((out["user"]["id"], out["user"]["email"], out["user"]["username"]),
                         (user_id, email, new_username))
        self.assertRegex(out["user"]["updatedAt"], RFC3339_MS)
        self.assertGreaterEqual(out["user"]["updatedAt"], created)

        # An email change needs the current password.
        r = c.request("PUT", "/user/profile", token=token, json={"email": new_email})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001",
                          "currentPassword is required to change email or password", {"field": "currentPassword"})
        r = c.request("PUT", "/user/profile", token=token,
                      json={"email": new_email, "currentPassword": "WrongP@ssw0rd123"})
        self.assert_error(r, 401, "AUTH_ERROR", "AUTH_001", "Current password is incorrect",
                          {"field": "currentPassword"})
        r = c.request("GET", "/user/profile", token=token)
        self.assertEqual(r.json()["user"]["email"], email)  # nothing changed

        r = c.request("PUT", "/user/profile", token=token, json={"email": new_email, "currentPassword": PASSWORD})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual((r.json()["user"]["email"], r.json()["user"]["username"]), (new_email, new_username))
        r = c.request("GET", "/user/profile", token=token)
        self.assertEqual(r.json()["user"]["email"], new_email)
        self.assert_error(self.client().login(email), 401, "AUTH_ERROR", "AUTH_001", "Invalid email or password")
        self.assertEqual(self.client().login(new_email).status_code, 200)

        # Field validation.
        r = c.request("PUT", "/user/profile", token=token, json={"email": "nope"})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001", "Invalid email format", {"field": "email"})
        r = c.request("PUT", "/user/profile", token=token, json={"username": "x y"})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001",
                          "Username must be 3-20 characters: letters, numbers and underscores", {"field": "username"})
        r = c.request("PUT", "/user/profile", token=token, json={"username": None})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001", "username must be a string", {"field": "username"})

        # Someone else's username or email is a conflict.
        _, other_email, other_username, _ = self.signed_up()
        r = c.request("PUT", "/user/profile", token=token, json={"username": other_username})
        self.assert_error(r, 409, "CONFLICT", "CONF_001", "Username already taken", {"field": "username"})
        r = c.request("PUT", "/user/profile", token=token, json={"email": other_email, "currentPassword": PASSWORD})
        self.assert_error(r, 409, "CONFLICT", "CONF_001", "Email already registered", {"field": "email"})

        # An unchanged email needs no password; an empty update changes nothing.
        r = c.request("PUT", "/user/profile", token=token, json={"email": new_email})
        self.assertEqual(r.status_code, 200, r.text)
        r = c.request("PUT", "/user/profile", token=token, json={})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual((r.json()["user"]["email"], r.json()["user"]["username"]), (new_email, new_username))

    def test_password_change_revokes_other_sessions(self):
        c, email, _, body = self.signed_up()
        other = body["tokens"]  # the registration's session
        r = c.login(email)
        self.assertEqual(r.status_code, 200)
        mine = r.json()["tokens"]

        r = c.request("PUT", "/user/profile", token=mine["accessToken"], json={"newPassword": NEW_PASSWORD})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001",
                          "currentPassword is required to change email or password", {"field": "currentPassword"})
        r = c.request("PUT", "/user/profile", token=mine["accessToken"],
                      json={"newPassword": "weakpassword", "currentPassword": PASSWORD})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001",
                          "Password must be at least 12 characters and include an uppercase letter, a number, "
                          "a special character", {"field": "newPassword"})
        r = c.request("PUT", "/user/profile", token=mine["accessToken"],
                      json={"newPassword": NEW_PASSWORD, "currentPassword": "WrongP@ssw0rd123"})
        self.assert_error(r, 401, "AUTH_ERROR", "AUTH_001", "Current password is incorrect",
                          {"field": "currentPassword"})
        # Nothing was revoked by the failures.
        self.assertEqual(c.request("GET", "/user/profile", token=other["accessToken"]).status_code, 200)

        r = c.request("PUT", "/user/profile", token=mine["accessToken"],
                      json={"newPassword": NEW_PASSWORD, "currentPassword": PASSWORD})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["message"], "Profile updated successfully")

        # This session lives on; the other one is revoked, refresh token included.
        self.assertEqual(c.request("GET", "/user/profile", token=mine["accessToken"]).status_code, 200)
        r = c.request("GET", "/user/profile", token=other["accessToken"])
        self.assert_error(r, 401, "AUTH_ERROR", "AUTH_003", "Session has been revoked")
        c2 = self.client()
        self.assert_error(c2.refresh(other["refreshToken"]), 401, "AUTH_ERROR", "AUTH_003", "Invalid refresh token")
        self.assert_error(c2.login(email), 401, "AUTH_ERROR", "AUTH_001", "Invalid email or password")
        self.assertEqual(c2.login(email, NEW_PASSWORD).status_code, 200)

    # --- preferences -------------------------------------------------------------

    def test_preferences_defaults_and_deep_merge(self):
        c, _, _, body = self.signed_up()
        token = body["tokens"]["accessToken"]
        get = lambda: c.request("GET", "/user/preferences", token=token)
        put = lambda doc: c.request("PUT", "/user/preferences", token=token, json=doc)

        r = get()
        self.assertEqual(r.status_code, 200)
        self.assert_rate_headers(r, 1000)
        self.assertEqual(r.json(), {"preferences": DEFAULT_PREFERENCES})

        # Only chat.temperature: the other chat keys keep their defaults.
        r = put({"chat": {"temperature": 0.9}})
        self.assertEqual(r.status_code, 200, r.text)
        expected = dict(DEFAULT_PREFERENCES, chat={"temperature": 0.9, "maxTokens": 512, "streamResponses": True})
        self.assertEqual(r.json(), {"preferences": expected, "message": "Preferences updated successfully"})
        self.assertEqual(get().json(), {"preferences": expected})

        # The spec's example update.
        r = put({"theme": "light", "voiceEnabled": False, "chat": {"temperature": 0.8, "streamResponses": False}})
        self.assertEqual(r.status_code, 200, r.text)
        expected = dict(DEFAULT_PREFERENCES, theme="light", voiceEnabled=False,
                        chat={"temperature": 0.8, "maxTokens": 512, "streamResponses": False})
        self.assertEqual(r.json()["preferences"], expected)

        # null removes the stored value: the default shows again, siblings stay.
        r = put({"chat": {"temperature": None}, "theme": None})
        self.assertEqual(r.status_code, 200, r.text)
        expected = dict(DEFAULT_PREFERENCES, voiceEnabled=False,
                        chat={"temperature": 0.7, "maxTokens": 512, "streamResponses": False})
        self.assertEqual(r.json()["preferences"], expected)

        # Keys the spec does not name are kept as given and merged the same way.
        r = put({"custom": {"a": 1, "b": [1, 2], "c": {"d": True}}})
        self.assertEqual(r.json()["preferences"]["custom"], {"a": 1, "b": [1, 2], "c": {"d": True}})
        r = put({"custom": {"a": None, "b": [3], "c": {"e": "x"}}})
        self.assertEqual(r.json()["preferences"]["custom"], {"b": [3], "c": {"d": True, "e": "x"}})
        r = put({"custom": None, "notifications": {"push": True}})
        prefs = r.json()["preferences"]
        self.assertNotIn("custom", prefs)
        self.assertEqual(prefs["notifications"], {"email": False, "push": True})
        self.assertEqual(get().json()["preferences"], prefs)

        # Nulling a whole section brings its defaults back.
        r = put({"chat": None, "notifications": None, "voiceEnabled": None})
        self.assertEqual(r.json()["preferences"], DEFAULT_PREFERENCES)

    def test_preferences_validation(self):
        c, _, _, body = self.signed_up()
        token = body["tokens"]["accessToken"]
        put = lambda doc: c.request("PUT", "/user/preferences", token=token, json=doc)
        self.assertEqual(put({"chat": {"maxTokens": 1024}}).status_code, 200)
        cases = [
            ({"chat": {"temperature": 2.5}}, "chat.temperature", "chat.temperature must be a number between 0 and 2"),
            ({"chat": {"temperature": -0.1}}, "chat.temperature", "chat.temperature must be a number between 0 and 2"),
            ({"chat": {"temperature": "hot"}}, "chat.temperature", "chat.temperature must be a number between 0 and 2"),
            ({"chat": {"maxTokens": 0}}, "chat.maxTokens", "chat.maxTokens must be an integer between 1 and 1000000"),
            ({"chat": {"maxTokens": 1.5}}, "chat.maxTokens", "chat.maxTokens must be an integer between 1 and 1000000"),
            ({"chat": {"streamResponses": "yes"}}, "chat.streamResponses", "chat.streamResponses must be a boolean"),
            ({"chat": 5}, "chat", "chat must be an object"),
            ({"voiceEnabled": "yes"}, "voiceEnabled", "voiceEnabled must be a boolean"),
            ({"notifications": {"email": 1}}, "notifications.email", "notifications.email must be a boolean"),
            ({"theme": 3}, "theme", "theme must be a string"),
            ({"language": ""}, "language", "language must be 1-200 characters"),
        ]
        for doc, field, message in cases:
            with self.subTest(doc=doc):
                self.assert_error(put(doc), 400, "VALIDATION_ERROR", "VAL_001", message, {"field": field})
        self.assert_error(put([1]), 400, "VALIDATION_ERROR", "VAL_002", "Request body must be a JSON object")
        r = put({"blob": "x" * 20000})
        self.assertEqual(r.status_code, 200)
        r = put({"blob2": "x" * 20000})
        self.assert_error(r, 400, "VALIDATION_ERROR", "VAL_001", "Preferences may take at most 32 KiB",
                          {"field": "preferences"})
        # Refused patches changed nothing.
        prefs = c.request("GET", "/user/preferences", token=token).json()["preferences"]
        self.assertEqual(prefs["chat"], {"temperature": 0.7, "maxTokens": 1024, "streamResponses": True})
        self.assertNotIn("blob2", prefs)

    # --- rate limits -------------------------------------------------------------

    def test_auth_rate_limit(self):
        _, email, _, _ = self.signed_up()  # from another address
        c = self.client()
        # Five attempts in the window are allowed, right or wrong.
        for i in range(4):
            r = c.login(email, "WrongP@ssw0rd123")
            self.assert_error(r, 401, "AUTH_ERROR", "AUTH_001", "Invalid email or password")
            self.assert_rate_headers(r, 5, 4 - i)
        r = c.login(email)
        self.assertEqual(r.status_code, 200)
        self.assert_rate_headers(r, 5, 0)
        refresh_token = r.json()["tokens"]["refreshToken"]

        # The sixth is refused in the spec's shape, with the headers.
        r = c.login(email)
        self.assertEqual(r.status_code, 429, r.text)
        retry = r.json()["error"]["details"].get("retryAfter")
        self.assertIsInstance(retry, int)
        self.assertTrue(1 <= retry <= 180, retry)  # one request refills every 180 s
        self.assert_error(r, 429, "RATE_LIMIT_ERROR", "RATE_001", f"Rate limit exceeded. Try again in {retry} seconds.",
                          {"limit": 5, "window": "15 minutes", "retryAfter": retry})
        self.assert_rate_headers(r, 5, 0)
        self.assertEqual(r.headers["Retry-After"], str(retry))
        self.assertEqual(r.headers["X-API-Version"], "1.0.0")

        # Register and refresh share the budget, under both prefixes.
        e2, u2 = unique()
        self.assertEqual(c.register(e2, u2).status_code, 429)
        self.assertEqual(c.refresh(refresh_token).status_code, 429)
        c.prefix = "/api/v1"
        self.assertEqual(c.login(email).status_code, 429)
        # Another address has its own budget.
        self.assertEqual(self.client().login(email).status_code, 200)

    def test_password_checks_spend_the_auth_budget(self):
        c, _, _, body = self.signed_up()
        token = body["tokens"]["accessToken"]
        new_email, new_username = unique()
        wrong = {"email": new_email, "currentPassword": "WrongP@ssw0rd123"}
        for _ in range(5):
            r = c.request("PUT", "/user/profile", token=token, json=wrong)
            self.assert_error(r, 401, "AUTH_ERROR", "AUTH_001", "Current password is incorrect",
                              {"field": "currentPassword"})
            self.assert_rate_headers(r, 1000)
        r = c.request("PUT", "/user/profile", token=token, json=dict(wrong, currentPassword=PASSWORD))
        self.assertEqual(r.status_code, 429, r.text)
        retry = r.json()["error"]["details"]["retryAfter"]
        self.assert_error(r, 429, "RATE_LIMIT_ERROR", "RATE_001", f"Rate limit exceeded. Try again in {retry} seconds.",
                          {"limit": 5, "window": "15 minutes", "retryAfter": retry})
        self.assert_rate_headers(r, 5, 0)
        # Changes that need no password still go through.
        r = c.request("PUT", "/user/profile", token=token, json={"username": new_username})
        self.assertEqual(r.status_code, 200, r.text)
        self.assert_rate_headers(r, 1000)

    def test_health_is_exempt(self):
        for path in ("/api/health", "/api/v1/health"):
            r = requests.get(self.srv.url("secondbrain", path), timeout=10)
            self.assertIn(r.status_code, (200, 503))
            self.assertNotIn("X-RateLimit-Limit", r.headers)

    # --- one account system ------------------------------------------------------

    def test_account_works_in_unamentis(self):
        c, email, _, body = self.signed_up()
        device = {"fingerprint": "sb-test-device", "name": "Black-box test", "type": "web", "model": "requests",
                  "os_version": "1", "app_version": "1.0.0"}  # unamentis' login documents a device
        r = requests.post(self.srv.url("unamentis", "/api/auth/login"),
                          json={"email": email, "password": PASSWORD, "device": device},
                          headers={"X-Forwarded-For": c.address}, timeout=30)
        if r.status_code == 404:
            self.skipTest("unamentis has no /api/auth/login yet")
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["user"]["id"], body["user"]["id"])
        self.assertEqual(r.json()["user"]["email"], email)


if __name__ == "__main__":
    unittest.main()
