"""Every dialect's health endpoint answers in its documented shape; metrics are valid."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

import requests

from harness import AtriumServer, DIALECTS

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


class HealthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer().start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        cls.srv.cleanup()
        assert code == 0, code

    def get(self, dialect, path, **kw):
        return requests.get(self.srv.url(dialect, path), timeout=10, **kw)

    def test_unamentis_health(self):
        r = self.get("unamentis", "/health")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.headers["Content-Type"], "application/json")
        body = r.json()
        self.assertEqual(set(body), {"status", "server_time", "uptime_seconds", "version"})
        self.assertEqual(body["status"], "healthy")
        self.assertRegex(body["server_time"], RFC3339)
        self.assertIsInstance(body["uptime_seconds"], int)
        self.assertGreaterEqual(body["uptime_seconds"], 0)
        self.assertEqual(body["version"], "0.1.0")

    def test_unichat_health(self):
        r = self.get("unichat", "/api/health")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(set(body), {"status", "timestamp", "version"})
        self.assertEqual(body["status"], "healthy")
        self.assertRegex(body["timestamp"], RFC3339)

    def test_secondbrain_health(self):
        for path in ("/api/health", "/api/v1/health"):
            r = self.get("secondbrain", path)
            self.assertEqual(r.status_code, 200)
            self.assertEqual(r.headers["X-API-Version"], "1.0.0")
            body = r.json()
            self.assertEqual(set(body), {"status", "timestamp", "services", "version", "uptime"})
            # No LLM upstream is configured: degraded, and llmService says so.
            self.assertEqual(body["status"], "degraded")
            self.assertRegex(body["timestamp"], RFC3339_MS)
            services = body["services"]
            self.assertEqual(services["api"], {"status": "up", "latency": 0})
            self.assertEqual(services["database"]["status"], "up")
            self.assertIsInstance(services["database"]["latency"], int)
            self.assertEqual(services["llmService"]["status"], "down")
            self.assertEqual(services["llmService"]["message"], "not configured")

    def test_pisovereign_health_and_readiness(self):
        r = self.get("pisovereign", "/health")
        self.assertEqual((r.status_code, r.json()), (200, {"status": "ok"}))

        r = self.get("pisovereign", "/ready")
        self.assertEqual(r.status_code, 503)
        self.assertEqual(r.json(), {"status": "not_ready",
                                    "inference": {"healthy": False, "latency_ms": 0, "error": "not configured"}})

        r = self.get("pisovereign", "/ready/all")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["status"], "degraded")
        self.assertTrue(body["services"]["database"]["healthy"])
        self.assertIsInstance(body["services"]["database"]["latency_ms"], int)
        self.assertFalse(body["services"]["inference"]["healthy"])
        self.assertEqual(set(body["latency_percentiles"]), {"p50_ms", "p90_ms", "p99_ms"})

    def test_mira_health(self):
        r = self.get("mira", "/api/v1/health")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.headers["API-Version"], "v1")
        body = r.json()
        self.assertEqual(set(body), {"status", "timestamp", "services", "metrics"})
        self.assertEqual(body["status"], "degraded")
        self.assertEqual(body["services"]["database"], "healthy")
        self.assertEqual(body["services"]["ai_models"], "not_configured")
        self.assertIsInstance(body["metrics"]["requests_per_minute"], int)

    def test_mira_requests_per_minute_counts_requests(self):
        before = self.get("mira", "/api/v1/health").json()["metrics"]["requests_per_minute"]
        for _ in range(3):
            self.get("mira", "/api/v1/health")
        after = self.get("mira", "/api/v1/health").json()["metrics"]["requests_per_minute"]
        self.assertGreaterEqual(after, before + 4)

    def test_json_metrics(self):
        self.get("unichat", "/api/health")
        self.get("unichat", "/nope")
        r = self.get("pisovereign", "/metrics")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(set(body), {"uptime_seconds", "http", "inference"})
        http = body["http"]
        for key in ("requests_total", "requests_success", "requests_client_error", "requests_server_error",
                    "active_requests", "response_time_avg_ms"):
            self.assertIsInstance(http[key], int, key)
        self.assertGreaterEqual(http["requests_client_error"], 1)
        self.assertGreaterEqual(http["dialects"]["unichat"]["requests_total"], 2)
        self.assertEqual(body["inference"], {"requests_total": 0, "requests_success": 0, "requests_failed": 0,
                                             "time_avg_ms": 0, "tokens_total": 0, "healthy": False})

    def test_prometheus_metrics_pass_promtool(self):
        for name in DIALECTS:
            requests.get(self.srv.url(name, "/nope"), timeout=10)
        self.get("unamentis", "/health")
        r = self.get("pisovereign", "/metrics/prometheus")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.headers["Content-Type"].startswith("text/plain; version=0.0.4"))
        text = r.text
        self.assertIn('http_requests_total{dialect="unamentis",method="GET",route="/health",status="success"}', text)
        self.assertIn('http_requests_total{dialect="mira",method="any",route="unmatched",status="client_error"}',
                      text)
        self.assertIn("# TYPE http_request_duration_seconds histogram", text)
        self.assertIn("# TYPE inference_time_seconds histogram", text)
        promtool = shutil.which("promtool") or "/usr/bin/promtool"
        if not os.path.exists(promtool):
            self.fail("promtool is not installed (Debian package: prometheus)")
        check = subprocess.run([promtool, "check", "metrics"], input=text.encode(), capture_output=True)
        self.assertEqual(check.returncode, 0, check.stdout.decode() + check.stderr.decode())

    def test_request_id_generated_echoed_or_replaced(self):
        for name, path in (("unamentis", "/health"), ("mira", "/api/v1/health")):
            r = self.get(name, path)
            self.assertRegex(r.headers["X-Request-Id"], UUID)
            r = self.get(name, path, headers={"X-Request-Id": "trace-abc_123.4:5"})
            self.assertEqual(r.headers["X-Request-Id"], "trace-abc_123.4:5")
            r = self.get(name, path, headers={"X-Request-Id": "bad id<script>"})
            self.assertRegex(r.headers["X-Request-Id"], UUID)
            r = self.get(name, path, headers={"X-Request-Id": "x" * 200})
            self.assertRegex(r.headers["X-Request-Id"], UUID)

    def test_error_body_carries_the_request_id(self):
        r = self.get("pisovereign", "/nope", headers={"X-Request-Id": "req-42"})
        self.assertEqual(r.json()["error"]["request_id"], "req-42")
        r = self.get("secondbrain", "/api/nope", headers={"X-Request-Id": "req-43"})
        self.assertEqual(r.json()["error"]["requestId"], "req-43")

    def test_head_has_length_but_no_body(self):
        g = self.get("unichat", "/api/health")
        h = requests.head(self.srv.url("unichat", "/api/health"), timeout=10)
        self.assertEqual(h.status_code, 200)
        self.assertEqual(h.content, b"")
        self.assertEqual(int(h.headers["Content-Length"]), len(g.content))

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        with self.srv.connect("unamentis") as sock:
            from harness import raw_request
            for _ in range(20):
                status, headers, body = raw_request(sock, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertEqual(status, 200)
                self.assertIn(b'"status":"healthy"', body)
                self.assertNotEqual(headers.get("connection"), "close")


if __name__ == "__main__":
    unittest.main()
