"""Unichat conversations (/api/conversations*) against uni-chat-api.md: create, read,
update, delete, archive, the list's filters, sorting and pages, title and message
search, and export (JSON and Markdown, with the file name made safe), with messages
written through the fake upstream. Another user's conversation is 404 everywhere."""

import json
import re
import unittest
import urllib.parse

from fake_upstream import FakeUpstream
from harness import AtriumServer
from unichat_client import UnichatUser, UnichatUsersMixin

CONVERSATION_KEYS = {"id", "title", "user_id", "config_id", "folder_id", "message_count", "is_pinned", "is_archived",
                     "tags", "summary", "model_id", "created_at", "updated_at", "last_message_at", "stats"}
NOT_FOUND = (404, {"error": "Conversation not found"})
DATE = r"\d{4}-\d\d-\d\d"


class UnichatConversationsTest(UnichatUsersMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeUpstream()
        config = {"security": {"rate_limits": False}, "llm": {"base_url": cls.fake.base, "model": "fake-chat"}}
        cls.srv = AtriumServer(config=config).start()
        names = ("ann", "bob", "lister", "searcher", "exporter")
        cls.users = {name: UnichatUser(cls.srv, f"{name}@example.com") for name in names}

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.fake.stop()

    def make_config(self, who="ann", **fields):
        body = dict({"name": "Chat", "model_id": "fake-chat", "system_prompt": "You are terse."}, **fields)
        r = self.call("POST", "/api/configs", who, json=body)
        self.assertEqual(r.status_code, 201, r.text)
        return r.json()["config"]

    def make(self, who="ann", **body):
        r = self.call("POST", "/api/conversations", who, json=body)
        self.assertEqual(r.status_code, 201, r.text)
        return r.json()["conversation"]

    def send(self, who, conversation_id, config_id, message):
        r = self.call("POST", "/api/chat/send", who,
                      json={"conversation_id": conversation_id, "config_id": config_id, "message": message})
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()

    # --- create, read, update, delete ---

    def test_create_get_update_delete(self):
        config = self.make_config()
        c = self.make(title="How to implement JWT auth", config_id=config["id"], folder_id="f-work")
        self.assertEqual(set(c), CONVERSATION_KEYS)
        self.assertEqual((c["title"], c["user_id"], c["config_id"], c["folder_id"], c["message_count"]),
                         ("How to implement JWT auth", self.users["ann"].id, config["id"], "f-work", 0))
        self.assertEqual((c["is_pinned"], c["is_archived"], c["tags"], c["last_message_at"], c["model_id"]),
                         (False, False, [], None, "fake-chat"))
        self.assertEqual(c["stats"], {"total_tokens": 0, "input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0})
        self.assertRegex(c["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

        r = self.call("GET", f"/api/conversations/{c['id']}")
        self.assertEqual((r.status_code, r.json()), (200, {"conversation": c, "messages": []}))

        # Defaults, and a config the user cannot see.
        plain = self.make()
        self.assertEqual((plain["title"], plain["config_id"], plain["folder_id"]), ("New Conversation", None, None))
        r = self.call("POST", "/api/conversations", "ann", data=b"")
        self.assertEqual(r.status_code, 201, r.text)
        bobs = self.make_config("bob")
        r = self.call("POST", "/api/conversations", json={"title": "x", "config_id": bobs["id"]})
        self.assertEqual((r.status_code, r.json()), (404, {"error": "Config not found"}))
        r = self.call("POST", "/api/conversations", json={"config_id": "no-such-config"})
        self.assertEqual((r.status_code, r.json()), (404, {"error": "Config not found"}))

        r = self.call("PUT", f"/api/conversations/{c['id']}",
                      json={"title": "Updated Title", "folder_id": "f-2", "tags": ["development", "security"],
                            "is_pinned": True})
        self.assertEqual(r.status_code, 200, r.text)
        u = r.json()["conversation"]
        self.assertEqual((u["id"], u["title"], u["folder_id"], u["tags"], u["is_pinned"]),
                         (c["id"], "Updated Title", "f-2", ["development", "security"], True))
        self.assertEqual(u["config_id"], config["id"])
        r = self.call("PUT", f"/api/conversations/{c['id']}", json={"folder_id": None})
        self.assertEqual((r.json()["conversation"]["folder_id"], r.json()["conversation"]["title"]),
                         (None, "Updated Title"))
        for body, message in [({"title": 5}, "title must be a string"),
                              ({"title": "   "}, "title must be 1-200 characters"),
                              ({"title": "x" * 201}, "title must be 1-200 characters"),
                              ({"is_pinned": "yes"}, "is_pinned must be a boolean"),
                              ({"tags": "a,b"}, "tags must be an array of strings"),
                              ({"tags": [1]}, "tags must be an array of strings"),
                              ({"tags": [""]}, "each tag must be 1-50 characters"),
                              ({"tags": [f"t{i}" for i in range(21)]}, "tags: at most 20"),
                              ({"folder_id": 7}, "folder_id must be a non-empty string or null")]:
            with self.subTest(body=body):
                r = self.call("PUT", f"/api/conversations/{c['id']}", json=body)
                self.assertEqual((r.status_code, r.json()), (400, {"error": message}))
        r = self.call("POST", "/api/conversations", json={"title": ["x"]})
        self.assertEqual((r.status_code, r.json()), (400, {"error": "title must be a string"}))
        r = self.call("PUT", f"/api/conversations/{c['id']}", data=b"[", headers={"Content-Type": "application/json"})
        self.assertEqual((r.status_code, r.json()), (400, {"error": "Malformed JSON in request body"}))

        r = self.call("DELETE", f"/api/conversations/{c['id']}")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Conversation deleted"}))
        r = self.call("GET", f"/api/conversations/{c['id']}")
        self.assertEqual((r.status_code, r.json()), NOT_FOUND)
        self.assertEqual((lambda r: (r.status_code, r.json()))(self.call("DELETE", f"/api/conversations/{c['id']}")),
                         NOT_FOUND)

    def test_get_shows_messages_oldest_first(self):
        config = self.make_config()
        c = self.make(title="Chatty", config_id=config["id"])
        sent = self.send("ann", c["id"], config["id"], "What is React?")
        r = self.call("GET", f"/api/conversations/{c['id']}")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["conversation"]["message_count"], 2)
        self.assertGreaterEqual(body["conversation"]["last_message_at"], sent["user_message"]["created_at"])
        self.assertEqual([m["role"] for m in body["messages"]], ["user", "assistant"])
        self.assertEqual(body["messages"][0], sent["user_message"])
        self.assertEqual(body["messages"][1], sent["assistant_message"])
        self.assertEqual(body["messages"][1]["metadata"]["model_id"], "fake-chat")

    def test_archive_toggles_or_sets(self):
        c = self.make(who="bob", title="To archive")
        path = f"/api/conversations/{c['id']}/archive"
        r = self.call("POST", path, "bob")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Archived", "is_archived": True}))
        listed = self.call("GET", "/api/conversations", "bob").json()
        self.assertNotIn(c["id"], [x["id"] for x in listed["conversations"]])
        archived = self.call("GET", "/api/conversations?archived=true", "bob").json()
        self.assertEqual([x["id"] for x in archived["conversations"]], [c["id"]])
        self.assertTrue(archived["conversations"][0]["is_archived"])
        r = self.call("POST", path, "bob")
        self.assertEqual(r.json(), {"message": "Unarchived", "is_archived": False})
        for _ in range(2):  # setting is idempotent
            r = self.call("POST", path, "bob", json={"archived": True})
            self.assertEqual(r.json(), {"message": "Archived", "is_archived": True})
        r = self.call("POST", path, "bob", json={"archived": False})
        self.assertEqual(r.json(), {"message": "Unarchived", "is_archived": False})
        r = self.call("POST", path, "bob", json={"archived": "yes"})
        self.assertEqual((r.status_code, r.json()), (400, {"error": "archived must be a boolean"}))
        self.assertEqual(self.call("GET", "/api/conversations?archived=maybe", "bob").status_code, 400)

    # --- the list ---

    def test_list_pages_sorts_filters(self):
        who = "lister"
        config = self.make_config(who)
        made = [self.make(who, title=t) for t in ("delta", "Alpha", "charlie", "Bravo", "echo")]
        ids = {c["title"]: c["id"] for c in made}

        def titles(query=""):
            r = self.call("GET", "/api/conversations" + query, who)
            self.assertEqual(r.status_code, 200, r.text)
            return [c["title"] for c in r.json()["conversations"]]

        r = self.call("GET", "/api/conversations?limit=2", who)
        body = r.json()
        self.assertEqual((body["total"], body["page"], body["limit"], body["has_more"], len(body["conversations"])),
                         (5, 1, 2, True, 2))
        body = self.call("GET", "/api/conversations?limit=2&page=3", who).json()
        self.assertEqual((body["total"], body["page"], body["has_more"], len(body["conversations"])), (5, 3, False, 1))
        body = self.call("GET", "/api/conversations", who).json()
        self.assertEqual((body["limit"], body["has_more"]), (20, False))
        for q, message in [("limit=0", "limit"), ("limit=101", "limit"), ("page=0", "page"), ("page=x", "page")]:
            r = self.call("GET", "/api/conversations?" + q, who)
            self.assertEqual(r.status_code, 400, q)
            self.assertIn(message, r.json()["error"])

        # No messages yet: last_message_at falls back to creation, newest first.
        self.assertEqual(titles(), ["echo", "Bravo", "charlie", "Alpha", "delta"])
        self.assertEqual(titles("?sort=created_at&order=asc"), ["delta", "Alpha", "charlie", "Bravo", "echo"])
        self.assertEqual(titles("?sort=title"), ["Alpha", "Bravo", "charlie", "delta", "echo"])  # A-Z by default
        self.assertEqual(titles("?sort=title&order=desc"), ["echo", "delta", "charlie", "Bravo", "Alpha"])

        # A message moves a conversation up; message_count sorts by size.
        self.send(who, ids["delta"], config["id"], "hello there")
        self.send(who, ids["Alpha"], config["id"], "one")
        self.send(who, ids["Alpha"], config["id"], "two")
        self.assertEqual(titles(), ["Alpha", "delta", "echo", "Bravo", "charlie"])
        self.assertEqual(titles("?sort=last_message_at&order=asc")[-2:], ["delta", "Alpha"])
        self.assertEqual(titles("?sort=message_count")[:2], ["Alpha", "delta"])
        self.assertEqual(titles("?sort=updated_at")[:2], ["Alpha", "delta"])
        r = self.call("GET", "/api/conversations?sort=bogus", who)
        self.assertEqual((r.status_code, r.json()), (400, {
            "error": "sort must be one of last_message_at, created_at, updated_at, title, message_count"}))
        r = self.call("GET", "/api/conversations?order=up", who)
        self.assertEqual((r.status_code, r.json()), (400, {"error": "order must be asc or desc"}))

        # Pinned first, whatever the order.
        self.call("PUT", f"/api/conversations/{ids['charlie']}", who, json={"is_pinned": True})
        self.assertEqual(titles("?sort=title")[0], "charlie")
        self.assertEqual(titles()[0], "charlie")

        # Title search and folders.
        self.call("PUT", f"/api/conversations/{ids['Bravo']}", who, json={"title": "Bravo team notes",
                                                                           "folder_id": "work"})
        self.call("PUT", f"/api/conversations/{ids['echo']}", who, json={"folder_id": "work"})
        self.assertEqual(titles("?search=team"), ["Bravo team notes"])
        self.assertEqual(titles("?search=TEA"), ["Bravo team notes"])  # a prefix, any case
        self.assertEqual(titles("?search=zzz"), [])
        self.assertEqual(sorted(titles("?folder_id=work")), ["Bravo team notes", "echo"])
        body = self.call("GET", "/api/conversations?folder_id=work&limit=1", who).json()
        self.assertEqual((body["total"], body["has_more"]), (2, True))
        self.assertEqual(self.call("GET", "/api/conversations?search=team", "bob").json()["total"], 0)

    # --- search ---

    def test_title_search(self):
        who = "searcher"
        a = self.make(who, title="JWT auth in Flask")
        self.make(who, title="Cooking pasta")
        r = self.call("GET", "/api/conversations/search?q=jwt%20auth", who)
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["query"], "jwt auth")
        self.assertEqual([c["id"] for c in body["conversations"]], [a["id"]])
        self.assertEqual(set(body["conversations"][0]), CONVERSATION_KEYS)
        for q in ("", "?q=", "?q=%20%20"):
            r = self.call("GET", "/api/conversations/search" + q, who)
            self.assertEqual((r.status_code, r.json()), (400, {"error": "q is required"}))
        self.assertEqual(self.call("GET", "/api/conversations/search?q=jwt", "bob").json()["conversations"], [])

    def test_message_search(self):
        who = "searcher"
        config = self.make_config(who)
        c = self.make(who, title="Zoo trip")
        self.send(who, c["id"], config["id"], "Tell me about the zebra")
        r = self.call("GET", "/api/conversations/search/messages?q=zebra", who)
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual((body["query"], body["total"]), ("zebra", 2))  # the question and the echoed answer
        first = body["results"][0]
        self.assertEqual(set(first), {"id", "conversation_id", "conversation_title", "role", "content", "snippet",
                                      "created_at"})
        self.assertEqual((first["conversation_id"], first["conversation_title"], first["role"], first["content"]),
                         (c["id"], "Zoo trip", "assistant", "Echo: Tell me about the zebra"))
        self.assertIn("<mark>zebra</mark>", first["snippet"])
        self.assertEqual(body["results"][1]["role"], "user")
        body = self.call("GET", "/api/conversations/search/messages?q=zebra&limit=1", who).json()
        self.assertEqual((len(body["results"]), body["total"]), (1, 2))
        body = self.call("GET", "/api/conversations/search/messages?q=zeb&limit=500", who).json()  # clamped to 100
        self.assertEqual(len(body["results"]), 2)
        for q, status in [("?q=zebra&limit=0", 400), ("?q=zebra&limit=x", 400), ("", 400), ("?q=", 400)]:
            self.assertEqual(self.call("GET", "/api/conversations/search/messages" + q, who).status_code, status, q)
        r = self.call("GET", "/api/conversations/search/messages?q=zebra", "bob")
        self.assertEqual(r.json(), {"results": [], "query": "zebra", "total": 0})

    # --- export ---

    def test_export_markdown_and_json(self):
        who = "exporter"
        config = self.make_config(who)
        c = self.make(who, title="Release notes v2.1", config_id=config["id"])
        self.send(who, c["id"], config["id"], "Summarise the release")
        path = f"/api/conversations/{c['id']}/export"

        r = self.call("GET", path, who)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.headers["Content-Type"], "text/markdown; charset=utf-8")
        self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")  # every download
        self.assertRegex(r.headers["Content-Disposition"],
                         rf'^attachment; filename="conversation_Release_notes_v2.1_{DATE}\.md"$')
        md = r.content.decode("utf-8")
        self.assertTrue(md.startswith("# Release notes v2.1\n"))
        self.assertIn("- Messages: 2\n", md)
        self.assertIn("- Model: fake-chat\n", md)
        self.assertIn("## User\n", md)
        self.assertIn("Summarise the release\n", md)
        self.assertIn("## Assistant\n", md)
        self.assertIn("Echo: Summarise the release\n", md)
        self.assertRegex(md, r"\*fake-chat · \d+ tokens · \d+ ms\*")
        self.assertLess(md.index("## User"), md.index("## Assistant"))

        bare = self.call("GET", path + "?format=markdown&metadata=false", who).content.decode()
        self.assertNotIn("- Messages:", bare)
        self.assertNotIn("tokens", bare)
        self.assertIn("Echo: Summarise the release", bare)

        r = self.call("GET", path + "?format=json", who)
        self.assertEqual(r.headers["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")  # every download
        self.assertRegex(r.headers["Content-Disposition"],
                         rf'^attachment; filename="conversation_Release_notes_v2.1_{DATE}\.json"$')
        doc = r.json()
        self.assertEqual(set(doc), {"conversation", "messages", "exported_at"})
        self.assertEqual(doc["conversation"]["id"], c["id"])
        self.assertIn("stats", doc["conversation"])
        self.assertEqual([m["role"] for m in doc["messages"]], ["user", "assistant"])
        self.assertEqual(doc["messages"][1]["metadata"]["model_id"], "fake-chat")
        doc = self.call("GET", path + "?format=json&metadata=false", who).json()
        self.assertNotIn("metadata", doc["messages"][1])
        self.assertNotIn("stats", doc["conversation"])

        r = self.call("GET", path + "?format=pdf", who)
        self.assertEqual((r.status_code, r.json()), (400, {"error": "format must be json or markdown"}))
        self.assertEqual(self.call("GET", path + "?metadata=perhaps", who).status_code, 400)

    def test_export_file_names_are_safe(self):
        who = "exporter"
        cases = [
            # title, ASCII name part, UTF-8 name part (None: no filename*)
            ('Say "hi" to <them>', "Say_hi_to_them", None),
            ("Café ☕ notes", "Caf_notes", "Café_☕_notes"),
            ("日本語の会話", "untitled", "日本語の会話"),
            ("../../etc/passwd", "etc_passwd", None),
            ("evil\u202egpj.exe", "evil_gpj.exe", None),
        ]
        for title, ascii_part, utf8_part in cases:
            with self.subTest(title=title):
                c = self.make(who, title=title)
                r = self.call("GET", f"/api/conversations/{c['id']}/export", who)
                self.assertEqual(r.status_code, 200)
                disposition = r.headers["Content-Disposition"]
                m = re.fullmatch(r'attachment; filename="([^"]*)"(?:; filename\*=UTF-8\'\'(\S+))?', disposition)
                self.assertIsNotNone(m, disposition)
                self.assertRegex(m.group(1), rf"^conversation_{re.escape(ascii_part)}_{DATE}\.md$")
                self.assertTrue(all(32 <= ord(ch) < 127 for ch in m.group(1)))
                if utf8_part is None:
                    self.assertIsNone(m.group(2), disposition)
                else:
                    self.assertRegex(m.group(2), r"^[A-Za-z0-9%!#$&+.^_`|~-]+$")  # RFC 5987 attr-chars
                    name = urllib.parse.unquote(m.group(2), encoding="utf-8", errors="strict")
                    self.assertRegex(name, rf"^conversation_{re.escape(utf8_part)}_{DATE}\.md$")
                md = r.content.decode("utf-8")
                self.assertTrue(md.startswith("# " + title + "\n"))
        c = self.make(who, title="JSON ☕")
        r = self.call("GET", f"/api/conversations/{c['id']}/export?format=json", who)
        self.assertIn("filename*=UTF-8''conversation_JSON_%E2%98%95_", r.headers["Content-Disposition"])
        self.assertEqual(json.loads(r.content)["conversation"]["title"], "JSON ☕")

    # --- ownership and sign-in ---

    def test_another_users_conversation_is_404_everywhere(self):
        c = self.make(title="Private")
        for method, path, body in [
            ("GET", f"/api/conversations/{c['id']}", None),
            ("PUT", f"/api/conversations/{c['id']}", {"title": "mine"}),
            ("DELETE", f"/api/conversations/{c['id']}", None),
            ("POST", f"/api/conversations/{c['id']}/archive", None),
            ("GET", f"/api/conversations/{c['id']}/export", None),
            ("GET", f"/api/conversations/{c['id']}/export?format=json", None),
        ]:
            with self.subTest(method=method, path=path):
                r = self.call(method, path, "bob", json=body)
                self.assertEqual((r.status_code, r.json()), NOT_FOUND)
        r = self.call("GET", f"/api/conversations/{c['id']}")
        self.assertEqual(r.json()["conversation"]["title"], "Private")
        self.assertFalse(r.json()["conversation"]["is_archived"])
        self.assertNotIn(c["id"], [x["id"] for x in self.call("GET", "/api/conversations", "bob").json()
                                   ["conversations"]])
        for method, path in [("GET", "/api/conversations"), ("POST", "/api/conversations"),
                             ("GET", f"/api/conversations/{c['id']}"), ("GET", "/api/conversations/search?q=x"),
                             ("GET", "/api/conversations/search/messages?q=x"),
                             ("GET", f"/api/conversations/{c['id']}/export")]:
            self.assertEqual(self.call(method, path, None).status_code, 401, path)


if __name__ == "__main__":
    unittest.main()
