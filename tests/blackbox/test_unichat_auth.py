"""Unichat auth and user endpoints, end to end, against uni-chat-api.md."""

import base64
import hashlib
import hmac
import json
import os
import subprocess
import time
import unittest

import jwt
import requests

from harness import AtriumServer, atrium_binary

PASSWORD = "Passw0rdOK"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class UnichatAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"security": {"rate_limits": False}}).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        cls.srv.cleanup()
        assert code == 0, code

    def url(self, path):
        return self.srv.url("unichat", path)

    def register(self, email, password=PASSWORD, name="Ann Example"):
        return requests.post(self.url("/api/auth/register"),
                             json={"email": email, "password": password, "display_name": name}, timeout=10)

    def login(self, email, password=PASSWORD):
        return requests.post(self.url("/api/auth/login"), json={"email": email, "password": password}, timeout=10)

    def signed_in(self, email):
        self.assertEqual(self.register(email).status_code, 201)
        r = self.login(email)
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()

    def auth(self, token):
        return {"Authorization": f"Bearer {token}"}

    def key(self):
        with open(os.path.join(self.srv.data_dir, "jwt.key"), "rb") as f:
            return f.read().strip()

    def test_register_and_login_shapes(self):
        r = self.register("shape@example.com")
        self.assertEqual(r.status_code, 201)
        body = r.json()
        self.assertEqual(body["message"], "Registration successful")
        self.assertEqual(set(body["user"]), {"id", "email", "display_name", "role"})
        self.assertEqual((body["user"]["email"], body["user"]["display_name"], body["user"]["role"]),
                         ("shape@example.com", "Ann Example", "user"))

        r = self.login("SHAPE@example.com")  # emails are case-insensitive
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(set(body), {"access_token", "refresh_token", "token_type", "expires_in", "user"})
        self.assertEqual((body["token_type"], body["expires_in"]), ("Bearer", 900))
        self.assertEqual(body["user"]["avatar_url"], None)

    def test_registration_errors(self):
        self.assertEqual(self.register("dup@example.com").status_code, 201)
        r = self.register("dup@example.com")
        self.assertEqual((r.status_code, r.json()), (409, {"error": "Email already registered"}))
        r = self.register("DUP@example.com")
        self.assertEqual(r.status_code, 409)
        r = self.register("weak@example.com", password="password1")
        self.assertEqual((r.status_code, r.json()),
                         (400, {"error": "Password must be at least 8 characters and include an uppercase letter"}))
        r = self.register("weak2@example.com", password="Sh0rt")
        self.assertEqual(r.json(), {"error": "Password must be at least 8 characters"})
        r = self.register("not-an-email")
        self.assertEqual((r.status_code, r.json()), (400, {"error": "Invalid email format"}))
        r = self.register("name@example.com", name="A")
        self.assertEqual((r.status_code, r.json()), (400, {"error": "Display name must be 2-50 characters"}))
        r = requests.post(self.url("/api/auth/register"), json={"email": "x@example.com"}, timeout=10)
        self.assertEqual((r.status_code, r.json()), (400, {"error": "email, password and display_name are required"}))

    def test_login_errors_are_the_same_for_unknown_and_wrong(self):
        self.assertEqual(self.register("wrong@example.com").status_code, 201)
        a = self.login("wrong@example.com", "Wrongpass1")
        b = self.login("nobody@example.com", "Wrongpass1")
        self.assertEqual((a.status_code, a.json()), (401, {"error": "Invalid email or password"}))
        self.assertEqual((b.status_code, b.json()), (a.status_code, a.json()))
        r = requests.post(self.url("/api/auth/login"), json={"email": "wrong@example.com"}, timeout=10)
        self.assertEqual((r.status_code, r.json()), (400, {"error": "Email and password are required"}))

    def test_me_refresh_logout(self):
        tokens = self.signed_in("flow@example.com")
        r = requests.get(self.url("/api/auth/me"), headers=self.auth(tokens["access_token"]), timeout=10)
        self.assertEqual(r.status_code, 200)
        me = r.json()
        self.assertEqual(set(me), {"id", "email", "role", "profile", "settings", "usage", "created_at"})
        self.assertEqual(me["profile"], {"display_name": "Ann Example", "avatar_url": None, "bio": ""})
        self.assertEqual(me["usage"], {"messages_sent": 0, "tokens_used": 0, "tokens_limit": -1})

        # Refresh: the refresh token goes in the Authorization header; only an access token comes back.
        for _ in range(2):
            r = requests.post(self.url("/api/auth/refresh"), headers=self.auth(tokens["refresh_token"]), timeout=10)
            self.assertEqual(r.status_code, 200, r.text)
            self.assertEqual(set(r.json()), {"access_token", "token_type", "expires_in"})
            fresh = r.json()["access_token"]
            self.assertEqual(requests.get(self.url("/api/auth/me"), headers=self.auth(fresh), timeout=10).status_code,
                             200)

        r = requests.post(self.url("/api/auth/logout"), headers=self.auth(fresh), timeout=10)
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Successfully logged out"}))
        for token in (fresh, tokens["access_token"]):
            r = requests.get(self.url("/api/auth/me"), headers=self.auth(token), timeout=10)
            self.assertEqual((r.status_code, r.json()), (401, {"error": "Session has been revoked"}))
        r = requests.post(self.url("/api/auth/refresh"), headers=self.auth(tokens["refresh_token"]), timeout=10)
        self.assertEqual((r.status_code, r.json()), (401, {"error": "Invalid refresh token"}))

    def test_missing_and_bad_tokens(self):
        r = requests.get(self.url("/api/auth/me"), timeout=10)
        self.assertEqual((r.status_code, r.json()), (401, {"error": "Authentication required"}))
        r = requests.get(self.url("/api/auth/me"), headers={"Authorization": "Bearer nonsense"}, timeout=10)
        self.assertEqual((r.status_code, r.json()), (401, {"error": "Invalid or malformed token"}))
        r = requests.get(self.url("/api/auth/me") + "?access_token=whatever", timeout=10)
        self.assertEqual(r.status_code, 401)  # never from the query string

    def test_tokens_verify_with_an_independent_jwt_library_and_forgeries_fail(self):
        tokens = self.signed_in("jwt@example.com")
        claims = jwt.decode(tokens["access_token"], self.key(), algorithms=["HS256"], audience="atrium")
        self.assertEqual(set(claims) >= {"sub", "iat", "exp", "jti", "sid", "typ"}, True)
        self.assertEqual(claims["typ"], "access")
        self.assertEqual(claims["exp"] - claims["iat"], 900)
        header = jwt.get_unverified_header(tokens["access_token"])
        self.assertEqual(header["alg"], "HS256")

        now = int(time.time())
        good = dict(claims)
        forged = {
            "alg none": b64(b'{"alg":"none","typ":"JWT"}') + "." + b64(json.dumps(good).encode()) + ".",
            "HS512": jwt.encode(good, self.key(), algorithm="HS512"),
            "wrong key": jwt.encode(good, b"x" * 64, algorithm="HS256"),
            "expired": jwt.encode(dict(good, iat=now - 2000, exp=now - 1000), self.key(), algorithm="HS256"),
            "refresh as access": tokens["refresh_token"],
            "typ refresh": jwt.encode(dict(good, typ="refresh"), self.key(), algorithm="HS256"),
        }
        head, payload, sig = tokens["access_token"].split(".")
        tampered = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        tampered["role"] = "admin"
        forged["tampered"] = head + "." + b64(json.dumps(tampered).encode()) + "." + sig
        # RS256/HS256 confusion: an RS256 header over an HMAC made with the key as "public key".
        rs_input = b64(b'{"alg":"RS256","typ":"JWT"}') + "." + payload
        forged["RS256 confusion"] = rs_input + "." + b64(hmac.new(self.key(), rs_input.encode(), hashlib.sha256).digest())
        for name, token in forged.items():
            with self.subTest(forgery=name):
                r = requests.get(self.url("/api/auth/me"), headers=self.auth(token), timeout=10)
                self.assertEqual(r.status_code, 401, r.text)
        r = requests.get(self.url("/api/auth/me"), headers=self.auth(forged["expired"]), timeout=10)
        self.assertEqual(r.json(), {"error": "Token has expired"})
        # The genuine token still works.
        r = requests.get(self.url("/api/auth/me"), headers=self.auth(tokens["access_token"]), timeout=10)
        self.assertEqual(r.status_code, 200)

    def test_password_change(self):
        first = self.signed_in("pw@example.com")
        second = self.login("pw@example.com").json()
        r = requests.put(self.url("/api/auth/password"), headers=self.auth(first["access_token"]),
                         json={"current_password": "Nope12345", "new_password": "NewPassw0rd"}, timeout=10)
        self.assertEqual((r.status_code, r.json()), (401, {"error": "Current password is incorrect"}))
        r = requests.put(self.url("/api/auth/password"), headers=self.auth(first["access_token"]),
                         json={"current_password": PASSWORD, "new_password": "weak"}, timeout=10)
        self.assertEqual(r.status_code, 400)
        r = requests.put(self.url("/api/auth/password"), headers=self.auth(first["access_token"]),
                         json={"current_password": PASSWORD, "new_password": "NewPassw0rd"}, timeout=10)
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Password updated successfully"}))
        # The other session is gone; this one stays.
        self.assertEqual(requests.get(self.url("/api/auth/me"), headers=self.auth(second["access_token"]),
                                      timeout=10).status_code, 401)
        self.assertEqual(requests.get(self.url("/api/auth/me"), headers=self.auth(first["access_token"]),
                                      timeout=10).status_code, 200)
        self.assertEqual(self.login("pw@example.com").status_code, 401)
        self.assertEqual(self.login("pw@example.com", "NewPassw0rd").status_code, 200)

    def test_profile_and_settings(self):
        tokens = self.signed_in("profile@example.com")
        h = self.auth(tokens["access_token"])
        r = requests.get(self.url("/api/users/profile"), headers=h, timeout=10)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(set(r.json()["user"]), {"id", "email", "role", "profile", "settings", "usage", "created_at"})
        r = requests.put(self.url("/api/users/profile"), headers=h,
                         json={"display_name": "John Smith", "bio": "Full-stack developer",
                               "avatar_url": "https://example.com/a.png"}, timeout=10)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["user"]["profile"], {"display_name": "John Smith",
                                                       "avatar_url": "https://example.com/a.png",
                                                       "bio": "Full-stack developer"})
        r = requests.put(self.url("/api/users/profile"), headers=h, json={"display_name": "J"}, timeout=10)
        self.assertEqual((r.status_code, r.json()), (400, {"error": "Display name must be 2-50 characters"}))
        # A name is measured in characters, the same at registration and on update: 30
        # Cyrillic letters (60 bytes) pass both, 51 fail both.
        name = "Александр" * 3 + "Ж" * 3
        self.assertEqual(len(name), 30)
        self.assertEqual(self.register("cyrillic@example.com", name=name).status_code, 201)
        r = requests.put(self.url("/api/users/profile"), headers=h, json={"display_name": name}, timeout=10)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["user"]["profile"]["display_name"], name)
        r = requests.put(self.url("/api/users/profile"), headers=h, json={"display_name": "Ж" * 51}, timeout=10)
        self.assertEqual((r.status_code, r.json()), (400, {"error": "Display name must be 2-50 characters"}))
        r = self.register("cyrillic51@example.com", name="Ж" * 51)
        self.assertEqual((r.status_code, r.json()), (400, {"error": "Display name must be 2-50 characters"}))
        r = requests.put(self.url("/api/users/profile"), headers=h, json={"display_name": "John Smith"}, timeout=10)
        self.assertEqual(r.status_code, 200)

        r = requests.put(self.url("/api/users/settings"), headers=h, json={"theme": "light", "language": "de"},
                         timeout=10)
        self.assertEqual(r.json(), {"settings": {"theme": "light", "notifications_enabled": True, "language": "de"}})
        r = requests.put(self.url("/api/users/settings"), headers=h, json={"notifications_enabled": False}, timeout=10)
        self.assertEqual(r.json(), {"settings": {"theme": "light", "notifications_enabled": False, "language": "de"}})
        r = requests.put(self.url("/api/users/settings"), headers=h, json={"theme": 3}, timeout=10)
        self.assertEqual((r.status_code, r.json()), (400, {"error": "theme must be a string"}))
        me = requests.get(self.url("/api/auth/me"), headers=h, timeout=10).json()
        self.assertEqual(me["settings"]["theme"], "light")

    def test_banned_account_gets_403(self):
        tokens = self.signed_in("banned@example.com")
        cli = subprocess.run([atrium_binary(), "user", "ban", "--email", "banned@example.com", "--reason", "spam",
                              "--config", os.path.join(self.srv.workdir, "atrium.toml")],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(cli.returncode, 0, cli.stderr)
        self.assertEqual(cli.stdout, "banned banned@example.com\n")
        r = self.login("banned@example.com")
        self.assertEqual((r.status_code, r.json()), (403, {"error": "Account banned"}))
        # The ban ended every session too.
        r = requests.get(self.url("/api/auth/me"), headers=self.auth(tokens["access_token"]), timeout=10)
        self.assertEqual(r.status_code, 401)

    def test_one_account_across_dialects(self):
        self.assertEqual(self.register("everywhere@example.com", password="Cross-Dialect-1").status_code, 201)
        r = requests.post(self.srv.url("secondbrain", "/api/auth/login"),
                          json={"email": "everywhere@example.com", "password": "Cross-Dialect-1"}, timeout=10)
        if r.status_code == 404:
            self.skipTest("secondbrain login is not served yet")
        self.assertEqual(r.status_code, 200, r.text)
        token = r.json()["tokens"]["accessToken"]
        # A token from one dialect is good in another: one account, one session store.
        r = requests.get(self.url("/api/auth/me"), headers=self.auth(token), timeout=10)
        self.assertEqual((r.status_code, r.json()["email"]), (200, "everywhere@example.com"))


class UnichatRateLimitTest(unittest.TestCase):
    def test_auth_endpoints_allow_five_a_minute(self):
        with AtriumServer() as srv:
            url = srv.url("unichat", "/api/auth/login")
            for i in range(5):
                r = requests.post(url, json={"email": "rl@example.com", "password": "Whatever1"}, timeout=10)
                self.assertEqual(r.status_code, 401)
                self.assertEqual(r.headers["X-RateLimit-Limit"], "5")
                self.assertEqual(r.headers["X-RateLimit-Remaining"], str(4 - i))
            r = requests.post(url, json={"email": "rl@example.com", "password": "Whatever1"}, timeout=10)
            self.assertEqual((r.status_code, r.json()), (429, {"error": "Rate limit exceeded. Please try again later."}))
            self.assertEqual(r.headers["X-RateLimit-Remaining"], "0")
            self.assertGreaterEqual(int(r.headers["Retry-After"]), 1)
            self.assertGreater(int(r.headers["X-RateLimit-Reset"]), int(time.time()))
            # Another dialect's budget is its own.
            r = requests.get(srv.url("unichat", "/api/health"), timeout=10)
            self.assertEqual(r.status_code, 200)


if __name__ == "__main__":
    unittest.main()
