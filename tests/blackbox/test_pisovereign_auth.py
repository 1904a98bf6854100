"""PiSovereign: bearer API keys on protected routes, per-address rate limits."""

import os
import subprocess
import unittest

import requests

from harness import AtriumServer, atrium_binary

KEY = "sk-abc123def456-test-key"
USER = "550e8400-e29b-41d4-a716-446655440000"


class PisovereignAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"security.api_key_users": {KEY: USER},
                                       "dialects.pisovereign": {"rate_limit_rpm": 1000}}).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        cls.srv.cleanup()
        assert code == 0, code

    def status(self, headers=None, path="/v1/system/status"):
        return requests.get(self.srv.url("pisovereign", path), headers=headers or {}, timeout=10)

    def check_401(self, r):
        self.assertEqual(r.status_code, 401)
        body = r.json()
        self.assertEqual(body, {"error": {"code": "UNAUTHORIZED", "message": "Invalid or missing API key",
                                          "details": {}, "request_id": r.headers["X-Request-Id"]}})

    def test_missing_wrong_and_query_string_keys_are_401(self):
        self.check_401(self.status())
        self.check_401(self.status({"Authorization": "Bearer sk-wrong"}))
        self.check_401(self.status({"Authorization": "Basic " + KEY}))
        self.check_401(self.status(path="/v1/system/status?api_key=" + KEY))

    def test_configured_key_gets_the_status(self):
        r = self.status({"Authorization": f"Bearer {KEY}"})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(set(body), {"version", "uptime_seconds", "environment", "resources", "statistics"})
        self.assertEqual((body["version"], body["environment"]), ("0.1.0", "production"))
        self.assertEqual(set(body["resources"]), {"memory_used_mb", "cpu_percent", "database_size_mb"})
        self.assertGreater(body["resources"]["memory_used_mb"], 1)
        self.assertGreater(body["resources"]["database_size_mb"], 0)
        self.assertGreaterEqual(body["statistics"]["requests_total"], 1)
        self.assertEqual(body["statistics"]["inference_requests"], 0)
        self.assertEqual(r.headers["X-RateLimit-Limit"], "1000")

    def test_cli_key_works_and_a_banned_owner_gets_403(self):
        config = os.path.join(self.srv.workdir, "atrium.toml")
        made = subprocess.run([atrium_binary(), "user", "create", "--email", "owner@example.com", "--config", config],
                              input="Owner-Passw0rd!\n", capture_output=True, text=True, timeout=30)
        self.assertEqual(made.returncode, 0, made.stderr)
        key = subprocess.run([atrium_binary(), "apikey", "create", "--email", "owner@example.com", "--name", "ci",
                              "--config", config], capture_output=True, text=True, timeout=30)
        self.assertEqual(key.returncode, 0, key.stderr)
        token = key.stdout.strip()
        self.assertTrue(token.startswith("sk-"))
        self.assertEqual(self.status({"Authorization": f"Bearer {token}"}).status_code, 200)
        ban = subprocess.run([atrium_binary(), "user", "ban", "--email", "owner@example.com", "--config", config],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(ban.returncode, 0, ban.stderr)
        r = self.status({"Authorization": f"Bearer {token}"})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(r.json(), {"error": {"code": "FORBIDDEN", "message": "Account is banned", "details": {},
                                              "request_id": r.headers["X-Request-Id"]}})

    def test_probes_stay_open(self):
        for path in ("/health", "/metrics", "/metrics/prometheus"):
            self.assertEqual(requests.get(self.srv.url("pisovereign", path), timeout=10).status_code, 200)


class PisovereignRateLimitTest(unittest.TestCase):
    def test_rate_limit_rpm_per_address(self):
        with AtriumServer(config={"security.api_key_users": {KEY: USER},
                                  "dialects.pisovereign": {"rate_limit_rpm": 3}}) as srv:
            url = srv.url("pisovereign", "/v1/system/status")
            for i in range(3):
                r = requests.get(url, headers={"Authorization": f"Bearer {KEY}"}, timeout=10)
                self.assertEqual(r.status_code, 200)
                self.assertEqual((r.headers["X-RateLimit-Limit"], r.headers["X-RateLimit-Remaining"]), ("3", str(2 - i)))
            r = requests.get(url, headers={"Authorization": f"Bearer {KEY}"}, timeout=10)
            self.assertEqual(r.status_code, 429)
            retry = int(r.headers["Retry-After"])
            self.assertGreaterEqual(retry, 1)
            self.assertEqual(r.json(), {"error": {"code": "RATE_LIMITED",
                                                  "message": f"Too many requests. Please retry after {retry} seconds.",
                                                  "retry_after": retry, "request_id": r.headers["X-Request-Id"]}})
            # Health probes are not limited.
            self.assertEqual(requests.get(srv.url("pisovereign", "/health"), timeout=10).status_code, 200)


if __name__ == "__main__":
    unittest.main()
