"""An OpenAI-compatible upstream (the fake in tests/upstream) makes inference ready:
readiness and health endpoints report it, through ATRIUM_LLM_* alone."""

import unittest

import requests

from fake_upstream import FakeUpstream
from harness import AtriumServer


class LlmUpstreamTest(unittest.TestCase):
    def test_ready_with_a_healthy_upstream(self):
        fake = FakeUpstream("--api-key", "sk-upstream-secret")
        try:
            env = {"ATRIUM_LLM_BASE_URL": fake.base, "ATRIUM_LLM_API_KEY": "sk-upstream-secret",
                   "ATRIUM_LLM_MODEL": "fake-chat"}
            with AtriumServer(env=env) as srv:
                r = requests.get(srv.url("pisovereign", "/ready"), timeout=10)
                self.assertEqual(r.status_code, 200, r.text)
                body = r.json()
                self.assertEqual(body["status"], "ready")
                self.assertEqual(body["inference"]["healthy"], True)
                self.assertEqual(body["inference"]["model"], "fake-chat")
                self.assertIsInstance(body["inference"]["latency_ms"], int)

                sb = requests.get(srv.url("secondbrain", "/api/health"), timeout=10).json()
                self.assertEqual(sb["services"]["llmService"]["status"], "up")
                self.assertEqual(sb["status"], "healthy")
                mira = requests.get(srv.url("mira", "/api/v1/health"), timeout=10).json()
                self.assertEqual(mira["services"]["ai_models"], "healthy")
                metrics = requests.get(srv.url("pisovereign", "/metrics"), timeout=10).json()
                self.assertTrue(metrics["inference"]["healthy"])

                # What reached the upstream: GET /v1/models with the bearer key.
                seen = [q for q in fake.stats()["recent_requests"] if q["path"] == "/v1/models"]
                self.assertTrue(seen)
                self.assertEqual(seen[-1]["method"], "GET")
        finally:
            fake.stop()

    def test_upstream_failures_are_reported_not_hidden(self):
        cases = [
            ({"ATRIUM_LLM_MODEL": "no-such-model"}, "model 'no-such-model' is not offered by the upstream", []),
            ({"ATRIUM_LLM_MODEL": "fake-chat"}, "upstream answered 500", ["--fail", "500"]),
            ({"ATRIUM_LLM_MODEL": "fake-chat", "ATRIUM_LLM_API_KEY": "wrong"}, "upstream answered 401",
             ["--api-key", "right"]),
        ]
        for env, error, fake_args in cases:
            with self.subTest(error=error):
                fake = FakeUpstream(*fake_args)
                try:
                    with AtriumServer(env=dict(env, ATRIUM_LLM_BASE_URL=fake.base)) as srv:
                        r = requests.get(srv.url("pisovereign", "/ready"), timeout=10)
                        self.assertEqual(r.status_code, 503)
                        self.assertEqual(r.json()["inference"]["error"], error)
                        self.assertEqual(r.json()["status"], "not_ready")
                finally:
                    fake.stop()

    def test_unreachable_upstream(self):
        with AtriumServer(env={"ATRIUM_LLM_BASE_URL": "http://127.0.0.1:9/v1", "ATRIUM_LLM_TIMEOUT_MS": "500"}) as srv:
            r = requests.get(srv.url("pisovereign", "/ready"), timeout=10)
            self.assertEqual(r.status_code, 503)
            self.assertEqual(r.json()["inference"]["error"], "upstream unreachable")
            sb = requests.get(srv.url("secondbrain", "/api/health"), timeout=10).json()
            llm = sb["services"]["llmService"]
            self.assertEqual((llm["status"], llm["message"]), ("down", "upstream unreachable"))
            self.assertEqual(sb["status"], "degraded")


KEY = "sk-abc123def456-test-key"
USER = "550e8400-e29b-41d4-a716-446655440000"
MODELS_CONFIG = {"security": {"rate_limits": False}, "security.api_key_users": {KEY: USER}}


def secondbrain_token(srv):
    r = requests.post(srv.url("secondbrain", "/api/auth/register"),
                      json={"email": "models@example.com", "username": "models_user",
                            "password": "SecureP@ssw0rd123"}, timeout=30)
    assert r.status_code == 201, r.text
    return r.json()["tokens"]["accessToken"]


class ModelListTest(unittest.TestCase):
    """GET /v1/system/models (pisovereign) and /api/models (secondbrain) list the upstream's models."""

    def test_both_dialects_list_the_upstream_models(self):
        fake = FakeUpstream("--models", "a,b")
        try:
            env = {"ATRIUM_LLM_BASE_URL": fake.base, "ATRIUM_LLM_MODEL": "b"}
            with AtriumServer(config=MODELS_CONFIG, env=env) as srv:
                r = requests.get(srv.url("pisovereign", "/v1/system/models"),
                                 headers={"Authorization": f"Bearer {KEY}"}, timeout=10)
                self.assertEqual(r.status_code, 200, r.text)
                self.assertEqual(r.json(), {"models": [
                    {"id": "a", "name": "a", "parameters": None, "context_length": None, "default": False},
                    {"id": "b", "name": "b", "parameters": None, "context_length": None, "default": True},
                ]})
                r = requests.get(srv.url("pisovereign", "/v1/system/models"), timeout=10)
                self.assertEqual(r.status_code, 401)

                token = secondbrain_token(srv)
                expected = {"models": [
                    {"id": m, "name": m, "provider": "atrium-fake", "parameters": None, "quantization": None,
                     "contextLength": None, "vramRequired": None, "status": status}
                    for m, status in (("a", "available"), ("b", "active"))], "activeModel": "b"}
                for path in ("/api/models", "/api/v1/models"):
                    r = requests.get(srv.url("secondbrain", path), headers={"Authorization": f"Bearer {token}"},
                                     timeout=10)
                    self.assertEqual(r.status_code, 200, r.text)
                    self.assertEqual(r.json(), expected)
                r = requests.get(srv.url("secondbrain", "/api/models"), timeout=10)
                self.assertEqual(r.status_code, 401)

                # Cached: both dialects' four lists cost the upstream one request.
                seen = [q for q in fake.stats()["recent_requests"] if q["path"] == "/v1/models"]
                self.assertEqual(len(seen), 1)
        finally:
            fake.stop()

    def test_without_an_upstream_both_answer_503(self):
        with AtriumServer(config=MODELS_CONFIG) as srv:
            r = requests.get(srv.url("pisovereign", "/v1/system/models"),
                             headers={"Authorization": f"Bearer {KEY}"}, timeout=10)
            self.assertEqual(r.status_code, 503, r.text)
            body = r.json()
            self.assertEqual(body, {"error": {"code": "SERVICE_UNAVAILABLE", "message": "No LLM upstream is configured",
                                              "details": {}, "request_id": body["error"]["request_id"]}})
            self.assertEqual(body["error"]["request_id"], r.headers["X-Request-Id"])
            token = secondbrain_token(srv)
            r = requests.get(srv.url("secondbrain", "/api/models"), headers={"Authorization": f"Bearer {token}"},
                             timeout=10)
            self.assertEqual(r.status_code, 503, r.text)
            err = r.json()["error"]
            self.assertEqual(err, {"type": "LLM_ERROR", "message": "No LLM upstream is configured", "code": "LLM_001",
                                   "details": {}, "requestId": r.headers["X-Request-Id"],
                                   "timestamp": err["timestamp"]})
            self.assertRegex(err["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


    def test_a_failing_upstream_answers_503(self):
        fake = FakeUpstream("--fail", "500")
        try:
            with AtriumServer(config=MODELS_CONFIG, env={"ATRIUM_LLM_BASE_URL": fake.base}) as srv:
                r = requests.get(srv.url("pisovereign", "/v1/system/models"),
                                 headers={"Authorization": f"Bearer {KEY}"}, timeout=10)
                self.assertEqual(r.status_code, 503, r.text)
                self.assertEqual((r.json()["error"]["code"], r.json()["error"]["message"]),
                                 ("SERVICE_UNAVAILABLE", "The LLM upstream is unavailable"))
                token = secondbrain_token(srv)
                r = requests.get(srv.url("secondbrain", "/api/models"), headers={"Authorization": f"Bearer {token}"},
                                 timeout=10)
                self.assertEqual(r.status_code, 503, r.text)
                err = r.json()["error"]
                self.assertEqual((err["type"], err["code"], err["message"]),
                                 ("LLM_ERROR", "LLM_001", "The LLM upstream is unavailable"))
        finally:
            fake.stop()

if __name__ == "__main__":
    unittest.main()
