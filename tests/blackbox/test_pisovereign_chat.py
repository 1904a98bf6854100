"""pisovereign POST /v1/chat and /v1/chat/stream through the core chat flow, against
the fake upstream: the spec's shapes, conversations continued by id, per-field 422
validation, and 503 SERVICE_UNAVAILABLE without an upstream."""

import json
import unittest

import requests

from fake_upstream import FakeUpstream
from harness import AtriumServer

KEY = "sk-piso-chat-key-0123456789"
USER = "00000000-0000-4000-8000-0000000000c3"
TIMEOUT = (5, 30)


class PisovereignChatTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeUpstream()
        cls.server = AtriumServer(config={"llm": {"base_url": cls.fake.base, "model": "fake-chat"},
                                          "security.api_key_users": {KEY: USER}})
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        log = cls.server.log()
        cls.server.cleanup()
        cls.fake.stop()
        if "ERROR: AddressSanitizer" in log or "runtime error:" in log or code != 0:
            raise AssertionError(log)

    def post(self, path, body, **kw):
        return requests.post(self.server.url("pisovereign", path), json=body, timeout=TIMEOUT,
                             headers={"Authorization": f"Bearer {KEY}"}, **kw)

    def test_chat_answers_and_continues_a_conversation(self):
        r = self.post("/v1/chat", {"message": "Hello there", "temperature": 0.7})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(sorted(body), ["content", "conversation_id", "created_at", "id", "model", "role", "tokens"])
        self.assertEqual(body["role"], "assistant")
        self.assertEqual(body["content"], "Echo: Hello there")
        self.assertEqual(body["model"], "fake-chat")
        self.assertEqual(body["tokens"], {"prompt": 2, "completion": 3, "total": 5})
        again = self.post("/v1/chat", {"message": "And again", "conversation_id": body["conversation_id"]})
        self.assertEqual(again.status_code, 200, again.text)
        self.assertEqual(again.json()["conversation_id"], body["conversation_id"])
        # The history went upstream: 2 + 3 + 2 prompt words.
        self.assertEqual(again.json()["tokens"]["prompt"], 7)
        missing = self.post("/v1/chat", {"message": "x", "conversation_id": "00000000-0000-4000-8000-000000000000"})
        self.assertEqual(missing.status_code, 404)
        self.assertEqual(missing.json()["error"]["code"], "NOT_FOUND")

    def test_stream_sends_message_deltas_then_done_with_tokens(self):
        r = self.post("/v1/chat/stream", {"message": "one two"}, stream=True)
        self.assertEqual(r.status_code, 200)  # (r.text would consume the stream)
        self.assertTrue(r.headers["Content-Type"].startswith("text/event-stream"))
        raw = r.raw.read().decode()
        frames = [f for f in raw.split("\n\n") if f.strip() and not f.startswith(":")]
        self.assertTrue(frames, raw)
        events = []
        for f in frames:
            lines = dict(line.split(": ", 1) for line in f.split("\n"))
            events.append((lines["event"], json.loads(lines["data"])))
        self.assertEqual([e for e, _ in events], ["message"] * 3 + ["done"])
        self.assertEqual("".join(d["delta"] for _, d in events[:-1]), "Echo: one two")
        self.assertEqual(events[-1][1]["tokens"], {"prompt": 2, "completion": 3, "total": 5})

    def test_validation_lists_every_field(self):
        r = self.post("/v1/chat", {"message": "  ", "temperature": 2.5, "max_tokens": "many"})
        self.assertEqual(r.status_code, 422, r.text)
        err = r.json()["error"]
        self.assertEqual(err["code"], "VALIDATION_ERROR")
        self.assertEqual(err["message"], "Request validation failed")
        self.assertEqual(err["details"]["fields"], [
            {"field": "message", "error": "cannot be empty"},
            {"field": "temperature", "error": "must be between 0.0 and 2.0"},
            {"field": "max_tokens", "error": "must be an integer"}])
        r = self.post("/v1/chat/stream", {})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["error"]["details"]["fields"], [{"field": "message", "error": "is required"}])
        r = requests.post(self.server.url("pisovereign", "/v1/chat"), json={"message": "x"}, timeout=TIMEOUT)
        self.assertEqual(r.status_code, 401)


class PisovereignNoUpstreamTest(unittest.TestCase):
    def test_without_an_upstream_chat_is_service_unavailable(self):
        with AtriumServer(config={"security.api_key_users": {KEY: USER}}) as srv:
            for path in ("/v1/chat", "/v1/chat/stream"):
                r = requests.post(srv.url("pisovereign", path), json={"message": "hi"}, timeout=TIMEOUT,
                                  headers={"Authorization": f"Bearer {KEY}"})
                self.assertEqual(r.status_code, 503, r.text)
                self.assertEqual(r.json()["error"]["code"], "SERVICE_UNAVAILABLE")


if __name__ == "__main__":
    unittest.main()
