"""CORS: an allowlist, credentials only with a named origin, preflights per path."""

import unittest

import requests

from harness import AtriumServer


class CorsTest(unittest.TestCase):
    def test_allowlisted_origin(self):
        with AtriumServer(config={"cors": {"allowed_origins": ["http://localhost:3000"]}}) as srv:
            url = srv.url("unichat", "/api/health")
            r = requests.get(url, headers={"Origin": "http://localhost:3000"}, timeout=10)
            self.assertEqual(r.headers["Access-Control-Allow-Origin"], "http://localhost:3000")
            self.assertEqual(r.headers["Access-Control-Allow-Credentials"], "true")
            self.assertIn("X-Request-Id", r.headers["Access-Control-Expose-Headers"])
            self.assertEqual(r.headers["Vary"], "Origin")

            r = requests.get(url, headers={"Origin": "http://evil.example"}, timeout=10)
            self.assertEqual(r.status_code, 200)
            self.assertNotIn("Access-Control-Allow-Origin", r.headers)

            r = requests.options(srv.url("unamentis", "/api/logs"), timeout=10, headers={
                "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type"})
            self.assertEqual(r.status_code, 204)
            self.assertEqual(r.headers["Access-Control-Allow-Origin"], "http://localhost:3000")
            self.assertEqual(r.headers["Access-Control-Allow-Methods"], "POST, GET, DELETE, HEAD")
            self.assertIn("Content-Type", r.headers["Access-Control-Allow-Headers"])
            self.assertEqual(r.headers["Access-Control-Max-Age"], "600")

            r = requests.options(srv.url("unamentis", "/nope"), timeout=10, headers={
                "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"})
            self.assertEqual(r.status_code, 404)

    def test_wildcard_never_with_credentials(self):
        with AtriumServer(config={"cors": {"allowed_origins": ["*"], "allow_credentials": True}}) as srv:
            r = requests.get(srv.url("mira", "/api/v1/health"), headers={"Origin": "http://a.example"}, timeout=10)
            self.assertEqual(r.headers["Access-Control-Allow-Origin"], "*")
            self.assertNotIn("Access-Control-Allow-Credentials", r.headers)


if __name__ == "__main__":
    unittest.main()
