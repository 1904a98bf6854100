"""An OpenAI-compatible upstream (the fake in tests/upstream) makes inference ready:
readiness and health endpoints report it, through ATRIUM_LLM_* alone."""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

import requests

from harness import AtriumServer

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "upstream", "fake_openai.py")


class FakeUpstream:
    def __init__(self, *args):
        self.dir = tempfile.mkdtemp(prefix="atrium-fake-")
        ready = os.path.join(self.dir, "ready.json")
        self.proc = subprocess.Popen(["/usr/bin/python3", FAKE, "--port", "0", "--ready-file", ready] + list(args),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(500):
            if os.path.exists(ready):
                break
            time.sleep(0.02)
        with open(ready) as f:
            self.port = json.load(f)["port"]
        self.base = f"http://127.0.0.1:{self.port}/v1"

    def stats(self):
        return requests.get(f"http://127.0.0.1:{self.port}/__fake/stats", timeout=10).json()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


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


if __name__ == "__main__":
    unittest.main()
