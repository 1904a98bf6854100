"""Unichat chat REST (/api/chat/*) and the admin's view of a user's history, against
uni-chat-api.md, through the fake upstream: a turn and what is stored of it, the
config's model, prompt and parameters on the wire, the token limit (429), a failing
upstream (503, nothing stored), no upstream at all (503), messages pages, delete, edit,
edit-then-regenerate and regenerate, another user's conversation or message (404) and
the admin rule (403 for a user, every history read audited)."""

import time
import unittest

from fake_upstream import FakeUpstream
from harness import AtriumServer
from unichat_client import UnichatUser, UnichatUsersMixin, promote

MESSAGE_KEYS = {"id", "conversation_id", "role", "content", "created_at", "updated_at", "is_edited", "edit_history"}
METADATA_KEYS = {"model_id", "tokens", "generation_time_ms", "cost_usd", "finish_reason", "tokens_estimated"}
CONFIG = {"name": "Terse", "model_id": "fake-chat", "system_prompt": "You are terse.",
          "parameters": {"temperature": 0.3, "max_tokens": 64, "top_p": 0.9, "frequency_penalty": 0.5,
                         "presence_penalty": -0.5}}


def pair(r):
    return r.status_code, r.json()


class UnichatChatTest(UnichatUsersMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeUpstream()
        cls.failing = FakeUpstream("--models", "fail-500", "--fail", "500")
        config = {
            "security": {"rate_limits": False},
            "llm": {"base_url": cls.fake.base, "model": "fake-chat"},
            "llm.upstreams.failing": {"base_url": cls.failing.base, "models": ["fail-500"], "max_retries": 0},
        }
        cls.srv = AtriumServer(config=config).start()
        names = ("ann", "bob", "root", "limited", "failer", "editor", "pager")
        cls.users = {name: UnichatUser(cls.srv, f"{name}@example.com", display_name=f"{name} person")
                     for name in names}
        promote(cls.srv, "root@example.com")

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.fake.stop()
        cls.failing.stop()

    def make_config(self, who="ann", **fields):
        r = self.call("POST", "/api/configs", who, json=dict(CONFIG, **fields))
        self.assertEqual(r.status_code, 201, r.text)
        return r.json()["config"]

    def send(self, who, message, config_id=None, conversation_id=None):
        body = {"message": message}
        if config_id:
            body["config_id"] = config_id
        if conversation_id:
            body["conversation_id"] = conversation_id
        r = self.call("POST", "/api/chat/send", who, json=body)
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()

    def messages(self, who, conversation_id):
        r = self.call("GET", f"/api/chat/{conversation_id}/messages", who)
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()["messages"]

    def usage(self, who):
        return self.call("GET", "/api/auth/me", who).json()["usage"]

    def conversation_total(self, who):
        return self.call("GET", "/api/conversations?limit=100", who).json()["total"]

    def turn_requests(self, fake, marker):
        """Chat requests the fake received whose last message contains `marker` (not the
        background title requests, which carry the title prompt)."""
        out = []
        for q in fake.stats()["recent_requests"]:
            body = q.get("body") or {}
            if q["path"] != "/v1/chat/completions" or not body.get("messages"):
                continue
            if body["messages"][0].get("content", "").startswith("Write a short title"):
                continue
            if marker in body["messages"][-1].get("content", ""):
                out.append(body)
        return out

    # --- send ---

    def test_send_creates_then_continues_a_conversation(self):
        config = self.make_config()
        r = self.call("POST", "/api/chat/send", json={"config_id": config["id"], "message": "What is React?",
                                                      "attachments": []})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(set(body), {"conversation_id", "user_message", "assistant_message", "is_new_conversation"})
        self.assertTrue(body["is_new_conversation"])
        cid = body["conversation_id"]
        user, answer = body["user_message"], body["assistant_message"]
        self.assertEqual(set(user), MESSAGE_KEYS)
        self.assertEqual((user["role"], user["content"], user["conversation_id"], user["is_edited"]),
                         ("user", "What is React?", cid, False))
        self.assertEqual(set(answer), MESSAGE_KEYS | {"metadata"})
        self.assertEqual((answer["role"], answer["content"]), ("assistant", "Echo: What is React?"))
        meta = answer["metadata"]
        self.assertEqual(set(meta), METADATA_KEYS)
        self.assertEqual((meta["model_id"], meta["finish_reason"], meta["tokens_estimated"]), ("fake-chat", "stop",
                                                                                              False))
        # The fake counts words: system prompt (3) + question (3); answer 4.
        self.assertEqual(meta["tokens"], {"prompt": 6, "completion": 4, "total": 10})
        self.assertIsInstance(meta["generation_time_ms"], int)

        # What went upstream: the config's model, prompt and parameters.
        sent = self.turn_requests(self.fake, "What is React?")[-1]
        self.assertEqual(sent["model"], "fake-chat")
        self.assertEqual(sent["messages"], [{"role": "system", "content": "You are terse."},
                                            {"role": "user", "content": "What is React?"}])
        self.assertEqual((sent["temperature"], sent["top_p"], sent["frequency_penalty"], sent["presence_penalty"]),
                         (0.3, 0.9, 0.5, -0.5))
        self.assertEqual(sent.get("max_tokens", sent.get("max_completion_tokens")), 64)

        c = self.call("GET", f"/api/conversations/{cid}").json()["conversation"]
        self.assertEqual((c["config_id"], c["message_count"], c["model_id"]), (config["id"], 2, "fake-chat"))
        self.assertEqual(c["stats"]["total_tokens"], 10)

        # The next turn: no config_id needed, the history goes along.
        body = self.send("ann", "And Vue?", conversation_id=cid)
        self.assertFalse(body["is_new_conversation"])
        self.assertEqual(body["conversation_id"], cid)
        sent = self.turn_requests(self.fake, "And Vue?")[-1]
        self.assertEqual([m["content"] for m in sent["messages"]],
                         ["You are terse.", "What is React?", "Echo: What is React?", "And Vue?"])
        self.assertEqual([m["id"] for m in self.messages("ann", cid)],
                         [user["id"], answer["id"], body["user_message"]["id"], body["assistant_message"]["id"]])
        # A config named on an existing conversation is this turn's.
        other = self.make_config(system_prompt="You are verbose.")
        self.send("ann", "Svelte?", config_id=other["id"], conversation_id=cid)
        self.assertEqual(self.turn_requests(self.fake, "Svelte?")[-1]["messages"][0]["content"], "You are verbose.")
        self.assertEqual(self.call("GET", f"/api/conversations/{cid}").json()["conversation"]["config_id"],
                         config["id"])

    def test_send_validates_and_checks_ownership(self):
        config = self.make_config()
        bobs_config = self.make_config("bob")
        bobs = self.send("bob", "bob's own", config_id=bobs_config["id"])
        bare = self.call("POST", "/api/conversations", json={"title": "no config"}).json()["conversation"]
        before = self.conversation_total("ann")
        for body, expected in [
            ({"config_id": config["id"]}, (400, {"error": "message is required"})),
            ({"config_id": config["id"], "message": "  "}, (400, {"error": "message must not be empty"})),
            ({"config_id": config["id"], "message": 5}, (400, {"error": "message must be a string"})),
            ({"message": "hi"}, (400, {"error": "config_id is required"})),
            ({"message": "hi", "conversation_id": bare["id"]}, (400, {"error": "config_id is required"})),
            ({"message": "hi", "config_id": 7}, (400, {"error": "config_id must be a string"})),
            ({"message": "hi", "config_id": config["id"], "attachments": {}},
             (400, {"error": "attachments must be an array"})),
            ({"message": "hi", "config_id": config["id"], "attachments": [{"type": "image"}]},
             (400, {"error": "attachments are not supported"})),
            ({"message": "hi", "config_id": bobs_config["id"]}, (404, {"error": "Config not found"})),
            ({"message": "hi", "config_id": "no-such-config"}, (404, {"error": "Config not found"})),
            ({"message": "hi", "config_id": config["id"], "conversation_id": bobs["conversation_id"]},
             (404, {"error": "Conversation not found"})),
            ({"message": "hi", "conversation_id": "no-such-conversation"},
             (404, {"error": "Conversation not found"})),
        ]:
            with self.subTest(body=body):
                self.assertEqual(pair(self.call("POST", "/api/chat/send", json=body)), expected)
        self.assertEqual(self.conversation_total("ann"), before)
        self.assertEqual(len(self.messages("bob", bobs["conversation_id"])), 2)

    def test_token_limit_is_429_and_stores_nothing(self):
        who = "limited"
        config = self.make_config(who)
        uid = self.users[who].id
        r = self.call("PUT", f"/api/admin/users/{uid}/limits", "root", json={"tokens_limit": 0})
        self.assertEqual(r.status_code, 200, r.text)
        r = self.call("POST", "/api/chat/send", who, json={"config_id": config["id"], "message": "hello"})
        self.assertEqual(pair(r), (429, {"error": "Token limit reached"}))
        self.assertEqual(self.conversation_total(who), 0)
        self.assertEqual(self.usage(who)["messages_sent"], 0)

        # A limit of 1 allows one capped answer; then it is reached.
        self.call("PUT", f"/api/admin/users/{uid}/limits", "root", json={"tokens_limit": 1})
        body = self.send(who, "hello again", config_id=config["id"])
        self.assertEqual(body["assistant_message"]["content"], "Echo:")
        self.assertEqual(body["assistant_message"]["metadata"]["finish_reason"], "length")
        cid = body["conversation_id"]
        r = self.call("POST", "/api/chat/send", who, json={"conversation_id": cid, "message": "more"})
        self.assertEqual(pair(r), (429, {"error": "Token limit reached"}))
        answer = self.messages(who, cid)[1]["id"]
        self.assertEqual(pair(self.call("POST", f"/api/chat/regenerate/{answer}", who)),
                         (429, {"error": "Token limit reached"}))
        self.assertEqual(len(self.messages(who, cid)), 2)
        self.assertEqual(self.usage(who)["messages_sent"], 1)

        self.call("PUT", f"/api/admin/users/{uid}/limits", "root", json={"tokens_limit": -1})
        self.send(who, "unlimited now", conversation_id=cid)
        self.assertEqual(len(self.messages(who, cid)), 4)

    def test_upstream_failure_is_503_and_stores_nothing(self):
        who = "failer"
        good = self.make_config(who)
        bad = self.make_config(who, model_id="fail-500")
        r = self.call("POST", "/api/chat/send", who, json={"config_id": bad["id"], "message": "doomed"})
        self.assertEqual(pair(r), (503, {"error": "The LLM upstream is unavailable"}))
        self.assertEqual(self.conversation_total(who), 0)
        self.assertGreaterEqual(self.failing.stats()["failures_injected"], 1)

        body = self.send(who, "fine", config_id=good["id"])
        cid = body["conversation_id"]
        r = self.call("POST", "/api/chat/send", who, json={"conversation_id": cid, "config_id": bad["id"],
                                                          "message": "doomed again"})
        self.assertEqual(pair(r), (503, {"error": "The LLM upstream is unavailable"}))
        stored = self.messages(who, cid)
        self.assertEqual([m["content"] for m in stored], ["fine", "Echo: fine"])
        usage = self.usage(who)
        self.assertEqual(usage["messages_sent"], 1)

        # Edit-then-regenerate and regenerate with a failing model change nothing.
        r = self.call("PUT", f"/api/configs/{good['id']}", who, json={"model_id": "fail-500"})
        self.assertEqual(r.status_code, 200, r.text)
        r = self.call("PUT", f"/api/chat/messages/{stored[0]['id']}", who, json={"content": "edited",
                                                                                "regenerate": True})
        self.assertEqual(pair(r), (503, {"error": "The LLM upstream is unavailable"}))
        r = self.call("POST", f"/api/chat/regenerate/{stored[1]['id']}", who)
        self.assertEqual(pair(r), (503, {"error": "The LLM upstream is unavailable"}))
        self.assertEqual(self.messages(who, cid), stored)
        self.assertEqual(self.usage(who), usage)

        # An unknown model is named.
        ghost = self.make_config(who, model_id="no-such-model")
        r = self.call("POST", "/api/chat/send", who, json={"config_id": ghost["id"], "message": "x"})
        self.assertEqual(pair(r), (404, {"error": "The model 'no-such-model' does not exist"}))
        self.assertEqual(self.conversation_total(who), 1)

    # --- messages ---

    def test_messages_pages_and_delete(self):
        who = "pager"
        config = self.make_config(who)
        cid = self.send(who, "one", config_id=config["id"])["conversation_id"]
        self.send(who, "two", conversation_id=cid)
        r = self.call("GET", f"/api/chat/{cid}/messages", who)
        body = r.json()
        self.assertEqual((body["total"], body["page"], body["limit"], body["has_more"]), (4, 1, 100, False))
        self.assertEqual([m["content"] for m in body["messages"]], ["one", "Echo: one", "two", "Echo: two"])
        self.assertEqual(set(body["messages"][1]), MESSAGE_KEYS | {"metadata"})
        body = self.call("GET", f"/api/chat/{cid}/messages?limit=3", who).json()
        self.assertEqual((len(body["messages"]), body["total"], body["has_more"]), (3, 4, True))
        body = self.call("GET", f"/api/chat/{cid}/messages?limit=3&page=2", who).json()
        self.assertEqual(([m["content"] for m in body["messages"]], body["has_more"]), (["Echo: two"], False))
        self.assertEqual(self.call("GET", f"/api/chat/{cid}/messages?limit=101", who).status_code, 400)
        self.assertEqual(pair(self.call("GET", f"/api/chat/{cid}/messages", "bob")),
                         (404, {"error": "Conversation not found"}))

        ids = [m["id"] for m in self.messages(who, cid)]
        self.assertEqual(pair(self.call("DELETE", f"/api/chat/messages/{ids[3]}", "bob")),
                         (404, {"error": "Message not found"}))
        self.assertEqual(pair(self.call("DELETE", f"/api/chat/messages/{ids[3]}", who)),
                         (200, {"message": "Message deleted"}))
        self.assertEqual(pair(self.call("DELETE", f"/api/chat/messages/{ids[3]}", who)),
                         (404, {"error": "Message not found"}))
        self.assertEqual([m["id"] for m in self.messages(who, cid)], ids[:3])
        c = self.call("GET", f"/api/conversations/{cid}", who).json()["conversation"]
        self.assertEqual(c["message_count"], 3)

    def test_edit_and_edit_then_regenerate(self):
        who = "editor"
        config = self.make_config(who)
        cid = self.send(who, "first question", config_id=config["id"])["conversation_id"]
        self.send(who, "second question", conversation_id=cid)
        self.send(who, "third question", conversation_id=cid)
        before = self.messages(who, cid)
        self.assertEqual(len(before), 6)

        # Edit only: the text and its history change, nothing else.
        r = self.call("PUT", f"/api/chat/messages/{before[0]['id']}", who, json={"content": "first, reworded"})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual((body["deleted_count"], body["assistant_message"]), (0, None))
        m = body["message"]
        self.assertEqual((m["id"], m["content"], m["is_edited"]), (before[0]["id"], "first, reworded", True))
        self.assertEqual([e["content"] for e in m["edit_history"]], ["first question"])
        self.assertRegex(m["edit_history"][0]["edited_at"], r"^\d{4}-\d\d-\d\dT")
        after = self.messages(who, cid)
        self.assertEqual([x["id"] for x in after], [x["id"] for x in before])
        self.assertEqual(after[0], m)

        # Edit then regenerate the second question: what followed it goes.
        r = self.call("PUT", f"/api/chat/messages/{before[2]['id']}", who,
                      json={"content": "second, better", "regenerate": True})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(body["deleted_count"], 3)
        m = body["message"]
        self.assertEqual((m["id"], m["content"], m["is_edited"]), (before[2]["id"], "second, better", True))
        self.assertEqual([e["content"] for e in m["edit_history"]], ["second question"])
        a = body["assistant_message"]
        self.assertEqual((a["role"], a["content"], a["metadata"]["model_id"]),
                         ("assistant", "Echo: second, better", "fake-chat"))
        sent = self.turn_requests(self.fake, "second, better")[-1]
        self.assertEqual([x["content"] for x in sent["messages"]],
                         ["You are terse.", "first, reworded", "Echo: first question", "second, better"])
        now = self.messages(who, cid)
        self.assertEqual([x["id"] for x in now], [before[0]["id"], before[1]["id"], before[2]["id"], a["id"]])
        self.assertEqual(self.call("GET", f"/api/conversations/{cid}", who).json()["conversation"]["message_count"],
                         4)
        for gone in before[3:]:
            self.assertEqual(self.call("DELETE", f"/api/chat/messages/{gone['id']}", who).status_code, 404)

        # Only user messages; validated body; another user's message.
        for body, expected in [({"content": "x"}, (400, {"error": "Only user messages can be edited"}))]:
            self.assertEqual(pair(self.call("PUT", f"/api/chat/messages/{a['id']}", who, json=body)), expected)
        for body, message in [({}, "content is required"), ({"content": 3}, "content must be a string"),
                              ({"content": " "}, "content must not be empty"),
                              ({"content": "x", "regenerate": "yes"}, "regenerate must be a boolean")]:
            r = self.call("PUT", f"/api/chat/messages/{before[0]['id']}", who, json=body)
            self.assertEqual(pair(r), (400, {"error": message}))
        for regenerate in (False, True):
            r = self.call("PUT", f"/api/chat/messages/{before[0]['id']}", "bob",
                          json={"content": "mine", "regenerate": regenerate})
            self.assertEqual(pair(r), (404, {"error": "Message not found"}))
        self.assertEqual(self.messages(who, cid)[0]["content"], "first, reworded")

    def test_regenerate(self):
        config = self.make_config()
        first = self.send("ann", "tell me a joke", config_id=config["id"])
        cid = first["conversation_id"]
        second = self.send("ann", "another one", conversation_id=cid)
        old = first["assistant_message"]["id"]

        # The first answer: it and everything after it is replaced by one new answer.
        r = self.call("POST", f"/api/chat/regenerate/{old}")
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(set(body), {"message"})
        m = body["message"]
        self.assertNotEqual(m["id"], old)
        self.assertEqual((m["role"], m["content"], m["conversation_id"]), ("assistant", "Echo: tell me a joke", cid))
        self.assertEqual(set(m["metadata"]), METADATA_KEYS)
        self.assertEqual([x["id"] for x in self.messages("ann", cid)], [first["user_message"]["id"], m["id"]])
        self.assertEqual(pair(self.call("POST", f"/api/chat/regenerate/{old}")), (404, {"error": "Message not found"}))
        self.assertEqual(self.call("DELETE", f"/api/chat/messages/{second['user_message']['id']}").status_code, 404)

        r = self.call("POST", f"/api/chat/regenerate/{first['user_message']['id']}")
        self.assertEqual(pair(r), (400, {"error": "Only assistant messages can be regenerated"}))
        self.assertEqual(pair(self.call("POST", f"/api/chat/regenerate/{m['id']}", "bob")),
                         (404, {"error": "Message not found"}))
        self.assertEqual(len(self.messages("ann", cid)), 2)

        # A conversation whose config is gone answers with its own model.
        self.assertEqual(self.call("DELETE", f"/api/configs/{config['id']}").status_code, 200)
        r = self.call("POST", f"/api/chat/regenerate/{m['id']}")
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["message"]["metadata"]["model_id"], "fake-chat")
        r = self.call("POST", "/api/chat/send", json={"conversation_id": cid, "message": "still there?"})
        self.assertEqual(pair(r), (404, {"error": "Config not found"}))

    def test_sign_in_is_required(self):
        for method, path in [("POST", "/api/chat/send"), ("GET", "/api/chat/x/messages"),
                             ("DELETE", "/api/chat/messages/x"), ("PUT", "/api/chat/messages/x"),
                             ("POST", "/api/chat/regenerate/x"), ("GET", "/api/admin/users/x/history")]:
            self.assertEqual(self.call(method, path, None, json={}).status_code, 401, path)

    # --- admin ---

    def test_admin_history_and_conversation_count(self):
        config = self.make_config("bob")
        target = self.users["bob"]
        self.send("bob", "history one", config_id=config["id"])
        self.send("bob", "history two", config_id=config["id"])
        total = self.conversation_total("bob")

        r = self.call("GET", f"/api/admin/users/{target.id}", "root")
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["user"]["stats"]["conversation_count"], total)
        self.assertGreaterEqual(r.json()["user"]["stats"]["config_count"], 1)

        r = self.call("GET", f"/api/admin/users/{target.id}/history?limit=1", "root")
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(set(body), {"conversations", "user", "total", "page", "limit", "has_more"})
        self.assertEqual(body["user"], {"id": target.id, "email": "bob@example.com", "display_name": "bob person"})
        self.assertEqual((body["total"], body["page"], body["limit"], body["has_more"]), (total, 1, 1, total > 1))
        self.assertEqual(len(body["conversations"]), 1)
        self.assertNotIn("messages", body["conversations"][0])
        self.assertEqual(body["conversations"][0]["user_id"], target.id)

        body = self.call("GET", f"/api/admin/users/{target.id}/history?include_messages=true&limit=100",
                         "root").json()
        newest = body["conversations"][0]
        self.assertEqual([m["content"] for m in newest["messages"]], ["history two", "Echo: history two"])
        self.assertTrue(all("messages" in c for c in body["conversations"]))

        self.assertEqual(pair(self.call("GET", f"/api/admin/users/{target.id}/history", "ann")),
                         (403, {"error": "Admin access required"}))
        self.assertEqual(pair(self.call("GET", "/api/admin/users/no-such-user/history", "root")),
                         (404, {"error": "User not found"}))
        self.assertEqual(self.call("GET", f"/api/admin/users/{target.id}/history?include_messages=maybe",
                                   "root").status_code, 400)
        self.assertEqual(self.call("GET", f"/api/admin/users/{target.id}/history?limit=0", "root").status_code, 400)

        logs = self.call("GET", "/api/admin/audit-logs?action=view_user_history", "root").json()["logs"]
        self.assertGreaterEqual(len(logs), 2)
        self.assertEqual((logs[0]["admin_id"], logs[0]["admin_email"], logs[0]["target_id"]),
                         (self.users["root"].id, "root@example.com", target.id))
        self.assertEqual(logs[0]["details"], {"page": 1, "limit": 100, "include_messages": True})


class NoUpstreamChatTest(UnichatUsersMixin, unittest.TestCase):
    """Without an LLM upstream a turn is 503 and nothing is stored, never invented text."""

    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"security": {"rate_limits": False}}).start()
        cls.users = {"ann": UnichatUser(cls.srv, "ann@example.com")}

    def test_send_is_503_and_stores_nothing(self):
        r = self.call("POST", "/api/configs", json=CONFIG)
        self.assertEqual(r.status_code, 201, r.text)
        config = r.json()["config"]
        r = self.call("POST", "/api/chat/send", json={"config_id": config["id"], "message": "Anyone there?"})
        self.assertEqual(pair(r), (503, {"error": "No LLM upstream is configured"}))
        c = self.call("POST", "/api/conversations", json={"title": "Empty", "config_id": config["id"]}).json()
        cid = c["conversation"]["id"]
        r = self.call("POST", "/api/chat/send", json={"conversation_id": cid, "message": "Anyone there?"})
        self.assertEqual(pair(r), (503, {"error": "No LLM upstream is configured"}))
        body = self.call("GET", "/api/conversations").json()
        self.assertEqual(body["total"], 1)
        self.assertEqual(body["conversations"][0]["message_count"], 0)
        self.assertEqual(self.call("GET", f"/api/chat/{cid}/messages").json()["messages"], [])
        self.assertEqual(self.call("GET", "/api/auth/me").json()["usage"]["messages_sent"], 0)


if __name__ == "__main__":
    unittest.main()
