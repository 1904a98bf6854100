"""Unichat's Socket.IO chat and arena events (uni-chat-api.md, "WebSocket Events" and
the "Complete Chat Flow" and "Arena Comparison" examples) with the official
socket.io-client against the fake upstream: the documented event sequences on every
socket of the user and on nobody else's, streamed text equal to what is stored,
stop_generation really cancelling the upstream request, and refusals in the
dialect's terms."""

import json
import os
import subprocess
import time
import unittest

from fake_upstream import FakeUpstream
from harness import AtriumServer
from unichat_client import UnichatUser, UnichatUsersMixin

NODE_SCRIPT = os.path.join(os.path.dirname(__file__), "node", "unichat_chat.js")
PRICE_IN, PRICE_OUT = 1.5, 2.5  # USD per million tokens, for fake-chat


def names(events):
    return [e[0] for e in events]


def chunks(events, message_id=None, config_id=None):
    return "".join(e[1]["content"] for e in events if e[0] in ("message_chunk", "arena_message_chunk")
                   and (message_id is None or e[1]["message_id"] == message_id)
                   and (config_id is None or e[1].get("config_id") == config_id))


def collapse(seq):
    """Runs of chunks as one entry, to compare sequences."""
    out = []
    for n in seq:
        if n.endswith("_chunk") and out and out[-1] == n + "*":
            continue
        out.append(n + "*" if n.endswith("_chunk") else n)
    return out


class UnichatSocketChatTest(UnichatUsersMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fast = FakeUpstream("--models", "fake-chat")
        cls.slow = FakeUpstream("--models", "slow-chat,slow-chat-2", "--token-delay-ms", "80")
        cls.broken = FakeUpstream("--models", "broken-chat", "--fail", "500")
        cls.srv = AtriumServer(config={
            "security": {"rate_limits": False},
            "llm": {"base_url": cls.fast.base, "model": "fake-chat"},
            "llm.pricing": {"fake-chat": f"{PRICE_IN} {PRICE_OUT}"},
            "llm.upstreams.slow": {"base_url": cls.slow.base, "models": ["slow-chat", "slow-chat-2"]},
            "llm.upstreams.broken": {"base_url": cls.broken.base, "models": ["broken-chat"], "max_retries": 0},
        }).start()
        cls.users = {"ann": UnichatUser(cls.srv, "ann@example.com"), "bob": UnichatUser(cls.srv, "bob@example.com")}
        cls.cfg = {
            "fast": cls.config("ann", "Fast", "fake-chat", "Be brief."),
            "slow": cls.config("ann", "Slow", "slow-chat", "Take your time."),
            "slow2": cls.config("ann", "Slow 2", "slow-chat-2", ""),
            "broken": cls.config("ann", "Broken", "broken-chat", ""),
            "terse": cls.config("ann", "Terse", "fake-chat", "One word only."),
            "bobs": cls.config("bob", "Bob's", "fake-chat", ""),
        }

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        for fake in (cls.fast, cls.slow, cls.broken):
            fake.stop()

    @classmethod
    def config(cls, who, name, model, system_prompt):
        r = cls.users[who].call("POST", "/api/configs",
                                json={"name": name, "model_id": model, "system_prompt": system_prompt})
        assert r.status_code == 201, r.text
        return r.json()["config"]["id"]

    def node(self, scenario, **options):
        options.setdefault("url", self.srv.url("unichat", ""))
        out = subprocess.run(["node", NODE_SCRIPT, scenario, json.dumps(options)], capture_output=True, text=True,
                             timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        self.assertNotIn("error", result, result)
        return result

    def token(self, who):
        return self.users[who].token

    def test_complete_chat_flow(self):
        r = self.node("chat", token=self.token("ann"), other_token=self.token("bob"), wait_title=True,
                      payload={"config_id": self.cfg["fast"], "message": "Hello, AI!", "attachments": []})
        first, second = r["first"], r["second"]
        self.assertEqual(collapse(names(first)),
                         ["authenticated", "conversation_created", "message_saved", "message_start", "message_chunk*",
                          "message_complete", "title_updated"])
        # Every socket of the user hears the same turn; another user hears nothing of it.
        self.assertEqual([e for e in second if e[0] != "authenticated"], [e for e in first if e[0] != "authenticated"])
        self.assertEqual(names(r["other"]), ["authenticated"])

        ev = {e[0]: e[1] for e in first}
        conversation = ev["conversation_created"]["conversation"]
        cid = conversation["id"]
        self.assertEqual((conversation["user_id"], conversation["config_id"], conversation["title"]),
                         (self.users["ann"].id, self.cfg["fast"], "Hello, AI!"))
        saved = ev["message_saved"]
        self.assertEqual((saved["conversation_id"], saved["message"]["role"], saved["message"]["content"]),
                         (cid, "user", "Hello, AI!"))
        start = ev["message_start"]
        self.assertEqual((start["conversation_id"], start["user_message_id"], start["model_id"]),
                         (cid, saved["message"]["id"], "fake-chat"))
        mid = start["message_id"]
        self.assertEqual(r["ack"], {"success": True, "conversation_id": cid, "message_id": mid,
                                    "user_message_id": saved["message"]["id"]})
        done = ev["message_complete"]
        self.assertEqual((done["message_id"], done["conversation_id"]), (mid, cid))
        self.assertEqual(chunks(first, mid), "Echo: Hello, AI!")
        self.assertEqual(done["content"], "Echo: Hello, AI!")
        meta = done["metadata"]
        # Prompt: "Be brief." (2 words) + "Hello, AI!" (2); answer: 3 words.
        self.assertEqual((meta["model_id"], meta["tokens"]), ("fake-chat", {"prompt": 4, "completion": 3, "total": 7}))
        self.assertAlmostEqual(meta["cost_usd"], (4 * PRICE_IN + 3 * PRICE_OUT) / 1e6)
        self.assertIsInstance(meta["generation_time_ms"], int)
        self.assertEqual(done["message"]["metadata"], meta)
        self.assertEqual(ev["title_updated"]["conversation_id"], cid)
        self.assertTrue(ev["title_updated"]["title"])

        # What streamed is what is stored.
        got = self.call("GET", f"/api/conversations/{cid}").json()
        self.assertEqual([(m["role"], m["content"]) for m in got["messages"]],
                         [("user", "Hello, AI!"), ("assistant", "Echo: Hello, AI!")])
        self.assertEqual(got["messages"][1]["id"], mid)
        self.assertEqual(got["messages"][1]["metadata"]["tokens"], meta["tokens"])
        self.assertEqual(got["conversation"]["title"], ev["title_updated"]["title"])

        # A follow-up in the same conversation: no conversation_created, the history is sent.
        r = self.node("chat", token=self.token("ann"), payload={"conversation_id": cid, "message": "And again"})
        self.assertEqual(collapse(names(r["first"])),
                         ["authenticated", "message_saved", "message_start", "message_chunk*", "message_complete"])
        self.assertEqual(chunks(r["first"]), "Echo: And again")
        sent = self.fast.stats()["recent_requests"][-1]["body"]["messages"]
        self.assertEqual([(m["role"], m["content"]) for m in sent],
                         [("system", "Be brief."), ("user", "Hello, AI!"), ("assistant", "Echo: Hello, AI!"),
                          ("user", "And again")])

    def test_regenerate_message(self):
        r = self.node("chat", token=self.token("ann"), payload={"config_id": self.cfg["terse"], "message": "Hi there"})
        cid = {e[0]: e[1] for e in r["first"]}["conversation_created"]["conversation"]["id"]
        old = self.call("GET", f"/api/conversations/{cid}").json()["messages"][1]["id"]
        r = self.node("refused", token=self.token("ann"), requests=[["regenerate_message", {"message_id": old}]])
        self.assertEqual(r["acks"][0]["success"], True, r)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            messages = self.call("GET", f"/api/conversations/{cid}").json()["messages"]
            if messages[-1]["id"] != old:
                break
            time.sleep(0.05)
        self.assertEqual([(m["role"], m["content"]) for m in messages],
                         [("user", "Hi there"), ("assistant", "Echo: Hi there")])
        self.assertNotEqual(messages[1]["id"], old)
        heard = names(r["first"])
        self.assertEqual(collapse(heard),
                         ["authenticated", "message_start", "message_chunk*", "message_complete"])
        self.assertEqual(names(r["second"]), heard)

    def test_refusals_go_to_the_sender_only(self):
        bobs = self.node("chat", token=self.token("bob"), payload={"config_id": self.cfg["bobs"], "message": "Mine"})
        bob_conversation = {e[0]: e[1] for e in bobs["first"]}["conversation_created"]["conversation"]["id"]
        bob_message = {e[0]: e[1] for e in bobs["first"]}["message_start"]["message_id"]
        r = self.node("refused", token=self.token("ann"), requests=[
            ["send_message", {"config_id": self.cfg["fast"]}],
            ["send_message", {"config_id": self.cfg["fast"], "message": "   "}],
            ["send_message", {"message": "No config"}],
            ["send_message", {"config_id": "missing", "message": "x"}],
            ["send_message", {"config_id": self.cfg["bobs"], "message": "x"}],
            ["send_message", {"conversation_id": bob_conversation, "config_id": self.cfg["fast"], "message": "x"}],
            ["send_message", "not an object"],
            ["regenerate_message", {}],
            ["regenerate_message", {"message_id": bob_message}],
            ["stop_generation", {"message_id": bob_message}],
        ])
        errors = [(a.get("status"), a["error"]) for a in r["acks"]]
        self.assertEqual(errors, [
            (400, "message is required"),
            (400, "message must not be empty"),
            (400, "config_id is required"),
            (404, "Config not found"),
            (404, "Config not found"),
            (404, "Conversation not found"),
            (400, "send_message takes an object"),
            (400, "message_id is required"),
            (404, "Message not found"),
            (None, "No generation in progress for this message"),
        ])
        heard = [e for e in r["first"] if e[0] != "authenticated"]
        # Refusals found on a worker thread (a lookup) may arrive after later ones found at
        # once (a malformed payload): the same set, in any order.
        self.assertEqual(sorted(e[1]["error"] for e in heard if e[0] == "message_error"),
                         sorted(e for _, e in errors[:9]))
        self.assertEqual([e[1]["message"] for e in heard if e[0] == "error"],
                         ["No generation in progress for this message"])
        self.assertEqual(names(r["second"]), ["authenticated"])
        # Nothing was stored for Ann.
        self.assertNotIn("x", [c["title"] for c in self.call("GET", "/api/conversations").json()["conversations"]])

    def test_upstream_failure_stores_nothing(self):
        before = self.call("GET", "/api/conversations").json()["total"]
        r = self.node("chat", token=self.token("ann"),
                      payload={"config_id": self.cfg["broken"], "message": "Will fail"})
        # Accepted, then the upstream fails before its first token: message_error on every
        # socket of the user, and neither the conversation nor the message is stored.
        self.assertEqual(r["ack"]["success"], True)
        for heard in (r["first"], r["second"]):
            self.assertEqual(names(heard), ["authenticated", "message_error"])
            err = heard[1][1]
            self.assertEqual((err["status"], err["message_id"], err["conversation_id"]),
                             (503, r["ack"]["message_id"], r["ack"]["conversation_id"]))
            self.assertTrue(err["error"])
        self.assertEqual(self.call("GET", "/api/conversations").json()["total"], before)
        self.assertEqual(self.call("GET", f"/api/conversations/{r['ack']['conversation_id']}").status_code, 404)

    def test_stop_generation(self):
        words = " ".join(f"w{i}" for i in range(40))
        before = self.slow.stats()["streams_disconnected"]
        r = self.node("stop", token=self.token("ann"), payload={"config_id": self.cfg["slow"], "message": words})
        mid = r["ack"]["message_id"]
        self.assertEqual(r["stopAck"], {"success": True, "message_id": mid})
        heard = r["heard"]
        seq = collapse(names(heard))
        self.assertEqual(seq[-2:], ["message_complete", "generation_stopped"])
        done = [e[1] for e in heard if e[0] == "message_complete"][0]
        self.assertTrue(done["metadata"]["stopped"])
        streamed = chunks(heard, mid)
        self.assertEqual(done["content"], streamed)
        self.assertTrue(streamed.startswith("Echo:"), streamed)
        self.assertLess(len(streamed), len("Echo: " + words))
        # Nothing after the stop, and a second stop finds nothing running.
        self.assertEqual(r["late"], [])
        self.assertEqual(r["again"]["success"], False)
        # The upstream saw the client go away; the partial answer is stored once.
        deadline = time.monotonic() + 5
        while self.slow.stats()["streams_disconnected"] == before and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.slow.stats()["streams_disconnected"], before + 1)
        got = self.call("GET", f"/api/conversations/{r['ack']['conversation_id']}").json()["messages"]
        self.assertEqual([(m["role"], m["content"]) for m in got], [("user", words), ("assistant", streamed)])
        self.assertTrue(got[1]["metadata"]["stopped"])

    def test_arena_comparison(self):
        ids = [self.cfg["fast"], self.cfg["terse"], self.cfg["slow"]]
        r = self.call("POST", "/api/arena/sessions", json={"config_ids": ids, "title": "Model Comparison"})
        self.assertEqual(r.status_code, 201, r.text)
        session = r.json()["session"]
        r = self.node("arena", token=self.token("ann"), other_token=self.token("bob"), expect_answers=3,
                      payload={"session_id": session["id"], "config_ids": session["config_ids"],
                               "message": "Explain quantum computing"})
        heard = r["heard"]
        self.assertEqual(r["ack"], {"success": True, "session_id": session["id"]})
        self.assertEqual(names(heard)[0], "arena_user_message")
        self.assertNotIn("arena_session_created", names(heard))
        user = heard[0][1]
        self.assertEqual((user["session_id"], user["message"]["role"], user["message"]["content"]),
                         (session["id"], "user", "Explain quantum computing"))
        completes = {e[1]["config_id"]: e[1] for e in heard if e[0] == "arena_message_complete"}
        self.assertEqual(sorted(completes), sorted(ids))
        for config_id in ids:
            own = [e for e in heard if e[1].get("config_id") == config_id]
            self.assertEqual(collapse(names(own)),
                             ["arena_message_start", "arena_message_chunk*", "arena_message_complete"])
            done = completes[config_id]
            self.assertEqual(done["content"], "Echo: Explain quantum computing")
            self.assertEqual(chunks(heard, config_id=config_id), done["content"])
            self.assertEqual(done["session_id"], session["id"])
            self.assertEqual(own[0][1]["message_id"], done["message_id"])
        self.assertEqual(completes[self.cfg["slow"]]["metadata"]["model_id"], "slow-chat")
        self.assertEqual(completes[self.cfg["fast"]]["metadata"]["tokens"], {"prompt": 5, "completion": 4, "total": 9})
        self.assertEqual(names(r["other"]), [])

        detail = self.call("GET", f"/api/arena/sessions/{session['id']}").json()
        self.assertEqual(detail["session"]["message_count"], 4)
        stored = {m["config_id"]: m for m in detail["messages"] if m["role"] == "assistant"}
        for config_id in ids:
            self.assertEqual(stored[config_id]["content"], completes[config_id]["content"])
            self.assertEqual(stored[config_id]["id"], completes[config_id]["message_id"])

        # A second round: each config sees the user's messages and its own answers only.
        self.node("arena", token=self.token("ann"), expect_answers=3,
                  payload={"session_id": session["id"], "message": "Shorter please"})
        sent = [q["body"]["messages"] for q in self.fast.stats()["recent_requests"][-2:]]
        fast_thread = [m for m in sent if m[0] == {"role": "system", "content": "Be brief."}][0]
        self.assertEqual([(m["role"], m["content"]) for m in fast_thread],
                         [("system", "Be brief."), ("user", "Explain quantum computing"),
                          ("assistant", "Echo: Explain quantum computing"), ("user", "Shorter please")])

    def test_arena_new_session_with_a_failing_config(self):
        r = self.node("arena", token=self.token("ann"), expect_answers=2,
                      payload={"config_ids": [self.cfg["fast"], self.cfg["broken"]], "message": "Compare"})
        heard = r["heard"]
        self.assertEqual(names(heard)[:2], ["arena_session_created", "arena_user_message"])
        session = heard[0][1]["session"]
        self.assertEqual(session["config_ids"], [self.cfg["fast"], self.cfg["broken"]])
        self.assertEqual(r["ack"]["session_id"], session["id"])
        errors = [e[1] for e in heard if e[0] == "arena_message_error"]
        self.assertEqual([e["config_id"] for e in errors], [self.cfg["broken"]])
        self.assertEqual(errors[0]["session_id"], session["id"])
        detail = self.call("GET", f"/api/arena/sessions/{session['id']}").json()
        self.assertEqual([(m["role"], m.get("config_id")) for m in detail["messages"]],
                         [("user", None), ("assistant", self.cfg["fast"])])

        r = self.node("refused", token=self.token("ann"), requests=[
            ["arena_send_message", {"config_ids": [self.cfg["fast"]], "message": "x"}],
            ["arena_send_message", {"session_id": session["id"], "message": ""}],
            ["arena_send_message", {"session_id": "missing", "message": "x"}],
            ["arena_stop_generation", {"session_id": session["id"]}],
        ])
        self.assertEqual([(a.get("status"), a["error"]) for a in r["acks"]], [
            (400, "An arena session needs 2 to 4 different configs"),
            (400, "The message must not be empty"),
            (404, "Session not found"),
            (None, "No arena generation in progress for this session"),
        ])

    def test_arena_stop_generation(self):
        words = " ".join(f"w{i}" for i in range(40))
        before = self.slow.stats()["streams_disconnected"]
        r = self.node("arena_stop", token=self.token("ann"),
                      payload={"config_ids": [self.cfg["slow"], self.cfg["slow2"]], "message": words})
        self.assertEqual(r["stopAck"]["success"], True)
        heard = r["heard"]
        self.assertEqual(names(heard)[-1], "arena_generation_stopped")
        completes = [e[1] for e in heard if e[0] == "arena_message_complete"]
        self.assertEqual(len(completes), 2)
        for done in completes:
            self.assertTrue(done["metadata"]["stopped"])
            self.assertEqual(done["content"], chunks(heard, config_id=done["config_id"]))
            self.assertLess(len(done["content"]), len("Echo: " + words))
        self.assertEqual(r["late"], [])
        deadline = time.monotonic() + 20  # a loaded machine (sanitizers, parallel tests) is slow to notice
        while self.slow.stats()["streams_disconnected"] < before + 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.slow.stats()["streams_disconnected"], before + 2)


if __name__ == "__main__":
    unittest.main()
