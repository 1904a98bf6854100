"""pisovereign's operational views against real parts: inference tokens in
/metrics/prometheus and /metrics (prompt and completion), /ready/all with a configured
WhatsApp, and /v1/system/models listing every configured upstream's models."""

import re
import time
import unittest

import requests

from fake_upstream import FakeUpstream
from harness import AtriumServer
from piso_fixtures import CloudApiFixture

KEY = "sk-piso-metrics-key-0123456789"
USER = "00000000-0000-4000-8000-0000000000d4"
TIMEOUT = (5, 30)


class PisovereignMetricsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.main = FakeUpstream("--models", "fake-chat,fake-embed")
        cls.second = FakeUpstream("--models", "second-chat")
        cls.cloud = CloudApiFixture().__enter__()
        cls.server = AtriumServer(config={
            "llm": {"base_url": cls.main.base, "model": "fake-chat"},
            "llm.upstreams.second": {"base_url": cls.second.base, "models": ["second-chat"]},
            "security.api_key_users": {KEY: USER},
            "webhooks.whatsapp": {"verify_token": "t", "app_secret": "s", "access_token": "EAAG-probe",
                                  "phone_number_id": "106540352242922", "api_base_url": cls.cloud.base + "/v21.0"},
        })
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        log = cls.server.log()
        cls.server.cleanup()
        cls.main.stop()
        cls.second.stop()
        cls.cloud.__exit__(None, None, None)
        if "ERROR: AddressSanitizer" in log or "runtime error:" in log or code != 0:
            raise AssertionError(log)

    def get(self, path, **kw):
        return requests.get(self.server.url("pisovereign", path), timeout=TIMEOUT, **kw)

    def chat(self, body):
        r = requests.post(self.server.url("pisovereign", "/v1/chat"), json=body, timeout=TIMEOUT,
                          headers={"Authorization": f"Bearer {KEY}"})
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()

    def counters(self):
        text = self.get("/metrics/prometheus").text
        tokens = dict(re.findall(r'^inference_tokens_total\{type="(prompt|completion)"\} (\d+)$', text, re.M))
        requests_ = re.findall(r'^inference_requests_total\{status="(?:success|failed)"\} (\d+)$', text, re.M)
        return {k: int(v) for k, v in tokens.items()}, sum(int(n) for n in requests_)

    def settled(self):
        """The counters once background work (a new conversation's title) is done."""
        last = self.counters()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.3)
            now = self.counters()
            if now == last:
                return now
            last = now
        return last

    def test_prompt_and_completion_tokens_are_both_counted(self):
        first = self.chat({"message": "Hello there"})
        before, requests_before = self.settled()
        self.assertEqual(sorted(before), ["completion", "prompt"])
        self.assertGreaterEqual(before["prompt"], first["tokens"]["prompt"])
        # Continued conversations get no new title, so these are the only generations.
        a = self.chat({"message": "one two three", "conversation_id": first["conversation_id"]})["tokens"]
        b = self.chat({"message": "four five", "model": "second-chat",
                       "conversation_id": first["conversation_id"]})["tokens"]
        after, requests_after = self.settled()
        self.assertEqual(requests_after - requests_before, 2)
        self.assertEqual(after["prompt"] - before["prompt"], a["prompt"] + b["prompt"])
        self.assertEqual(after["completion"] - before["completion"], a["completion"] + b["completion"])
        total = self.get("/metrics").json()["inference"]["tokens_total"]
        self.assertEqual(total, after["prompt"] + after["completion"])

    def test_ready_all_reports_whatsapp(self):
        r = self.get("/ready/all")
        self.assertEqual(r.status_code, 200)
        whatsapp = r.json()["services"]["whatsapp"]
        self.assertEqual(whatsapp["healthy"], True, whatsapp)
        self.assertIsInstance(whatsapp["latency_ms"], int)
        self.assertIn({"path": "/v21.0/106540352242922", "authorization": "Bearer EAAG-probe"}, self.cloud.probes)

    def test_models_lists_every_upstream(self):
        r = self.get("/v1/system/models", headers={"Authorization": f"Bearer {KEY}"})
        self.assertEqual(r.status_code, 200, r.text)
        models = {m["id"]: m["default"] for m in r.json()["models"]}
        self.assertEqual(models, {"fake-chat": True, "fake-embed": False, "second-chat": False})


class PisovereignWhatsAppDownTest(unittest.TestCase):
    def test_an_unreachable_cloud_api_is_unhealthy_in_ready_all(self):
        config = {"webhooks.whatsapp": {"app_secret": "s", "access_token": "x", "phone_number_id": "1",
                                        "api_base_url": "http://127.0.0.1:9/v21.0"}}
        with AtriumServer(config=config) as srv:
            body = requests.get(srv.url("pisovereign", "/ready/all"), timeout=TIMEOUT).json()
            self.assertEqual(body["services"]["whatsapp"]["healthy"], False)
            self.assertEqual(body["services"]["whatsapp"]["error"], "WhatsApp API unreachable")
            self.assertEqual(body["status"], "degraded")
        with AtriumServer() as srv:
            body = requests.get(srv.url("pisovereign", "/ready/all"), timeout=TIMEOUT).json()
            self.assertNotIn("whatsapp", body["services"])


if __name__ == "__main__":
    unittest.main()
