"""Secondbrain auto-saved memories, end to end (second-brain-api.md, "Memory Management"
and the memory:updated event): after a chat turn the facts in the user's message are
extracted by the model (the fake upstream answers the extraction and consolidation
prompts through --reply-rules) and consolidated against the stored memories. A fact
worth keeping appears in recall with origin auto and reaches the user's sockets as
memory:updated {type: "auto-saved"}; the same fact said again is not stored twice; a
contradicting statement updates the memory; with the autoSaveMemories preference off
no extraction runs."""

import json
import os
import tempfile
import threading
import time
import unittest

import requests

from fake_upstream import FakeUpstream
from harness import AtriumServer
from secondbrain_client import SecondbrainUser, error_of

# What the fake "model" answers: the extraction prompt (its system text says "facts
# worth keeping") turns the user's words into one fact, except a greeting; the
# consolidation prompt ("most similar") updates stored memory 0 when the new fact
# names Berlin, and adds it otherwise.
RULES = [
    {"system_contains": "facts worth keeping", "user_contains": "Hello", "reply": '{"facts": []}'},
    {"system_contains": "facts worth keeping", "user_regex": r"said:\n(.*)", "escape": "json",
     "reply": 'Sure: {"facts": [{"text": "{{1}}", "type": "fact", "importance": 0.7}]}'},
    {"system_contains": "most similar", "user_contains": "Berlin", "reply": '{"event": "UPDATE", "id": "0"}'},
    {"system_contains": "most similar", "reply": '{"event": "ADD"}'},
]


class SecondbrainAutoMemoryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="atrium-auto-memory-")
        rules = os.path.join(cls.dir, "rules.json")
        with open(rules, "w") as f:
            json.dump(RULES, f)
        cls.fake = FakeUpstream("--reply-rules", rules)
        cls.srv = AtriumServer(config={
            "security": {"trusted_proxies": ["127.0.0.1"]},
            "llm": {"base_url": cls.fake.base, "model": "fake-chat"},
            "testing": {"echo_routes": True},  # GET /__atrium/jobs: when an extraction is done
        }).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        cls.fake.stop()
        assert code == 0, code
        assert "ERROR: AddressSanitizer" not in log and "runtime error:" not in log, log

    def extractions(self, user):
        r = requests.get(self.srv.url("unamentis", "/__atrium/jobs"), params={"kind": "memory.extract"}, timeout=10)
        self.assertEqual(r.status_code, 200, r.text)
        return [j for j in r.json()["jobs"] if j["owner"] == user.user_id]

    def wait_extractions(self, user, count, timeout=20):
        """The user's memory.extract jobs once `count` exist and all have succeeded."""
        deadline = time.monotonic() + timeout
        while True:
            jobs = self.extractions(user)
            if len(jobs) == count and all(j["state"] == "succeeded" for j in jobs):
                return jobs
            if time.monotonic() > deadline:
                self.fail(f"extractions did not finish: {jobs}")
            time.sleep(0.05)

    def socket(self, user):
        import socketio  # python3-socketio (Debian)
        sio = socketio.Client(reconnection=False)
        events = []
        cond = threading.Condition()

        def record(name):
            def handler(data=None):
                with cond:
                    events.append((name, data))
                    cond.notify_all()
            return handler
        for name in ("chat:response", "memory:updated", "error"):
            sio.on(name, record(name))
        sio.connect(f"http://127.0.0.1:{self.srv.port('secondbrain_socket')}", transports=["websocket"],
                    auth={"token": user.token}, wait_timeout=5)

        def wait_for(pred, timeout=15):
            deadline = time.monotonic() + timeout
            with cond:
                while not pred(events):
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    cond.wait(left)
                return True
        return sio, events, wait_for

    def chat(self, user, message, conversation_id=None):
        body = {"message": message}
        if conversation_id:
            body["conversationId"] = conversation_id
        r = user.post("/chat", json=body)
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()

    def memories(self, user, query):
        r = user.get("/memory/recall", params={"query": query, "limit": 50})
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()["memories"]

    def test_a_fact_is_saved_announced_kept_once_and_updated(self):
        ann, bob = SecondbrainUser(self.srv), SecondbrainUser(self.srv)
        sio, events, wait_for = self.socket(ann)
        bob_sio, bob_events, _ = self.socket(bob)
        memory_events = lambda: [d for n, d in events if n == "memory:updated"]  # noqa: E731
        try:
            # A fact worth keeping: saved with origin auto, announced as auto-saved.
            first = self.chat(ann, "I live in Paris")
            self.assertEqual(first["text"], "Echo: I live in Paris")
            [job] = self.wait_extractions(ann, 1)
            self.assertEqual(json.loads(job["result"]),
                             {"readable": True, "facts": 1, "added": 1, "updated": 0, "deleted": 0, "kept": 0})
            [m] = self.memories(ann, "Paris")
            self.assertEqual((m["content"], m["type"], m["importance"], m["origin"]),
                             ("I live in Paris", "fact", 0.7, "auto"))
            self.assertRegex(m["source"], r"^auto:conversation/" + first["conversationId"] + r"/message/[0-9a-f-]{36}$")
            self.assertNotEqual(m["source"].rsplit("/", 1)[1], first["messageId"])  # the user's message, not the answer
            self.assertTrue(wait_for(lambda evs: len([1 for n, _ in evs if n == "memory:updated"]) >= 1), events)
            self.assertEqual(memory_events(), [{"memoryId": m["id"], "type": "auto-saved", "content": "I live in Paris"}])

            # The same fact again, this time over the socket: nothing new is stored.
            sio.emit("chat:message", {"text": "I live in Paris", "conversationId": first["conversationId"]})
            self.assertTrue(wait_for(lambda evs: any(n == "chat:response" and d["done"] for n, d in evs)), events)
            jobs = self.wait_extractions(ann, 2)
            self.assertIn({"readable": True, "facts": 1, "added": 0, "updated": 0, "deleted": 0, "kept": 1},
                          [json.loads(j["result"]) for j in jobs])
            self.assertEqual([x["id"] for x in self.memories(ann, "Paris")], [m["id"]])
            self.assertEqual(ann.get("/user/profile").json()["user"]["stats"]["totalMemories"], 1)

            # A contradicting statement updates the memory instead of adding one.
            self.chat(ann, "I live in Berlin now", first["conversationId"])
            jobs = self.wait_extractions(ann, 3)
            self.assertIn({"readable": True, "facts": 1, "added": 0, "updated": 1, "deleted": 0, "kept": 0},
                          [json.loads(j["result"]) for j in jobs])
            [updated] = self.memories(ann, "Berlin")
            self.assertEqual((updated["id"], updated["content"], updated["origin"]),
                             (m["id"], "I live in Berlin now", "auto"))
            self.assertEqual(ann.get("/search", params={"q": "Paris"}).json()["pagination"]["total"], 0)
            self.assertEqual(ann.get("/user/profile").json()["user"]["stats"]["totalMemories"], 1)
            self.assertTrue(wait_for(lambda evs: len([1 for n, _ in evs if n == "memory:updated"]) >= 2), events)
            self.assertEqual(memory_events(), [
                {"memoryId": m["id"], "type": "auto-saved", "content": "I live in Paris"},
                {"memoryId": m["id"], "type": "auto-saved", "content": "I live in Berlin now"}])
            # The consolidation asked the model with the stored memory numbered, not by id.
            asked = [r["body"] for r in self.fake.stats()["recent_requests"]
                     if (r.get("body") or {}).get("messages") and "most similar" in r["body"]["messages"][0]["content"]]
            self.assertEqual(json.loads(asked[-1]["messages"][-1]["content"]),
                             {"new_fact": "I live in Berlin now", "stored_memories": [{"id": "0", "text": "I live in Paris"}]})
            # Another user neither sees the memory nor its events.
            self.assertEqual(self.memories(bob, "Berlin"), [])
            self.assertEqual([d for n, d in bob_events if n == "memory:updated"], [])
        finally:
            sio.disconnect()
            bob_sio.disconnect()

    def test_nothing_worth_keeping_saves_nothing(self):
        ann = SecondbrainUser(self.srv)
        self.chat(ann, "Hello there, how are you?")
        [job] = self.wait_extractions(ann, 1)
        self.assertEqual(json.loads(job["result"]),
                         {"readable": True, "facts": 0, "added": 0, "updated": 0, "deleted": 0, "kept": 0})
        self.assertEqual(ann.get("/user/profile").json()["user"]["stats"]["totalMemories"], 0)

    def test_the_preference_turns_it_off(self):
        ann = SecondbrainUser(self.srv)
        r = ann.put("/user/preferences", json={"autoSaveMemories": "no"})
        self.assertEqual(error_of(self, r, 400, "VALIDATION_ERROR")["details"]["field"], "autoSaveMemories")
        # Not among the spec's defaults until it is set.
        self.assertNotIn("autoSaveMemories", ann.get("/user/preferences").json()["preferences"])
        r = ann.put("/user/preferences", json={"autoSaveMemories": False})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertIs(r.json()["preferences"]["autoSaveMemories"], False)

        first = self.chat(ann, "I live in Oslo")
        # The job would be enqueued before the answer is returned: there is none.
        self.assertEqual(self.extractions(ann), [])
        self.assertEqual(self.memories(ann, "Oslo"), [])
        sio, events, wait_for = self.socket(ann)
        try:
            sio.emit("chat:message", {"text": "I live in Oslo", "conversationId": first["conversationId"]})
            self.assertTrue(wait_for(lambda evs: any(n == "chat:response" and d["done"] for n, d in evs)), events)
        finally:
            sio.disconnect()
        self.assertEqual(self.extractions(ann), [])
        self.assertEqual(ann.get("/user/profile").json()["user"]["stats"]["totalMemories"], 0)

        # Removing the key (null) turns it back on.
        self.assertEqual(ann.put("/user/preferences", json={"autoSaveMemories": None}).status_code, 200)
        self.chat(ann, "I live in Oslo", first["conversationId"])
        [job] = self.wait_extractions(ann, 1)
        self.assertEqual(json.loads(job["result"])["added"], 1)
        self.assertEqual([x["content"] for x in self.memories(ann, "Oslo")], ["I live in Oslo"])


if __name__ == "__main__":
    unittest.main()
