"""Secondbrain memory management, end to end (second-brain-api.md, "Memory
Management"): save, recall with relevanceScore and access counting, full-text search
with matchScore and escaped highlights, update, delete, the owner's scope, validation
in the spec's error format, the Memory Operations rate limit, and memory:updated on the
user's sockets."""

import re
import threading
import unittest

from harness import AtriumServer
from secondbrain_client import SecondbrainUser, error_of

RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


class SecondbrainMemoryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"security": {"trusted_proxies": ["127.0.0.1"]}}).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        assert code == 0, code
        assert "ERROR: AddressSanitizer" not in log and "runtime error:" not in log, log

    def save(self, user, content, **fields):
        r = user.post("/memory/save", json={"content": content, **fields})
        self.assertEqual(r.status_code, 201, r.text)
        return r.json()["memory"]

    def test_save_returns_the_spec_fields(self):
        ann = SecondbrainUser(self.srv)
        r = ann.post("/memory/save", json={"content": "User prefers dark mode and minimal UI", "type": "preference",
                                           "importance": 0.8, "tags": ["ui", "Settings"], "source": "conv-uuid-1"})
        self.assertEqual(r.status_code, 201, r.text)
        self.assertIn("X-RateLimit-Limit", r.headers)
        self.assertEqual(r.headers["X-RateLimit-Limit"], "100")
        m = r.json()["memory"]
        for key in ("id", "content", "type", "importance", "tags", "createdAt", "accessCount"):
            self.assertIn(key, m)
        self.assertEqual((m["content"], m["type"], m["importance"], m["tags"], m["accessCount"]),
                         ("User prefers dark mode and minimal UI", "preference", 0.8, ["ui", "settings"], 0))
        self.assertEqual(m["source"], "conv-uuid-1")
        self.assertRegex(m["createdAt"], RFC3339_MS)
        # Defaults: a fact of importance 0.5, no tags; also under /api/v1.
        v1 = SecondbrainUser(self.srv, prefix="/api/v1")
        r = v1.post("/memory/save", json={"content": "Lives in Lyon"})
        self.assertEqual(r.status_code, 201, r.text)
        self.assertEqual((r.json()["memory"]["type"], r.json()["memory"]["importance"], r.json()["memory"]["tags"]),
                         ("fact", 0.5, []))

    def test_validation_errors(self):
        ann = SecondbrainUser(self.srv)
        cases = [({}, "content"), ({"content": ""}, "content"), ({"content": 5}, "content"),
                 ({"content": "x", "type": "opinion"}, "type"), ({"content": "x", "importance": 1.2}, "importance"),
                 ({"content": "x", "importance": "high"}, "importance"), ({"content": "x", "tags": "ui"}, "tags"),
                 ({"content": "x", "tags": [1]}, "tags"), ({"content": "x" * 4001}, "content")]
        for body, field in cases:
            r = ann.post("/memory/save", json=body)
            err = error_of(self, r, 400, "VALIDATION_ERROR", "VAL_001")
            self.assertEqual(err["details"]["field"], field, body)
        r = ann.post("/memory/save", data="not json", headers={"Content-Type": "application/json"})
        error_of(self, r, 400, "VALIDATION_ERROR", "VAL_002")
        r = ann.get("/memory/recall", params={"query": "x", "limit": "0"})
        self.assertEqual(error_of(self, r, 400, "VALIDATION_ERROR")["details"]["field"], "limit")
        r = ann.get("/memory/recall", params={"query": "x", "type": "nope"})
        self.assertEqual(error_of(self, r, 400, "VALIDATION_ERROR")["details"]["field"], "type")
        r = ann.get("/search")
        self.assertEqual(error_of(self, r, 400, "VALIDATION_ERROR")["details"]["field"], "q")
        r = ann.get("/search", params={"q": "x", "limit": "500"})
        self.assertEqual(error_of(self, r, 400, "VALIDATION_ERROR")["details"]["field"], "limit")
        r = ann.get("/memory/recall", auth=False, params={"query": "x"})
        error_of(self, r, 401, "AUTH_ERROR")
        self.assertEqual(ann.get("/memory/recall", params={"query": "x"}).json()["totalFound"], 0)

    def test_recall_ranks_and_counts_access(self):
        ann = SecondbrainUser(self.srv)
        ui = self.save(ann, "User prefers dark mode and minimal UI", type="preference", importance=0.8, tags=["ui"])
        job = self.save(ann, "User works as a software engineer", type="fact", importance=0.9)
        self.save(ann, "Allergic to peanuts", type="fact", importance=0.9)
        r = ann.get("/memory/recall", params={"query": "user interface preferences", "limit": 5})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(body["totalFound"], 2)
        got = body["memories"]
        self.assertEqual([m["id"] for m in got], [ui["id"], job["id"]])
        for m in got:
            self.assertEqual(set(m) >= {"id", "content", "type", "importance", "relevanceScore", "tags", "createdAt",
                                        "lastAccessed", "accessCount"}, True)
            self.assertGreater(m["relevanceScore"], 0)
            self.assertLessEqual(m["relevanceScore"], 1)
            self.assertEqual(m["accessCount"], 1)
            self.assertRegex(m["lastAccessed"], RFC3339_MS)
        self.assertGreater(got[0]["relevanceScore"], got[1]["relevanceScore"])
        again = ann.get("/memory/recall", params={"query": "dark mode", "type": "preference"}).json()
        self.assertEqual([m["id"] for m in again["memories"]], [ui["id"]])
        self.assertEqual(again["memories"][0]["accessCount"], 2)
        # Without a query: importance and recency decide; limit applies.
        top = ann.get("/memory/recall", params={"limit": 2}).json()
        self.assertEqual(len(top["memories"]), 2)

    def test_search_highlights_escaped_and_pages(self):
        ann = SecondbrainUser(self.srv)
        a = self.save(ann, "User is learning Python async programming <b>now</b>", tags=["programming", "python"],
                      importance=0.7)
        self.save(ann, "User programs in Rust", tags=["rust"])
        r = ann.get("/search", params={"q": "python programming"})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(body["pagination"], {"total": 1, "page": 1, "limit": 10, "totalPages": 1, "hasNext": False,
                                              "hasPrev": False})
        hit = body["results"][0]
        self.assertEqual(hit["id"], a["id"])
        self.assertEqual(hit["highlightedContent"],
                         "User is learning <mark>Python</mark> async <mark>programming</mark> &lt;b&gt;now&lt;/b&gt;")
        self.assertGreater(hit["matchScore"], 0.5)
        self.assertLessEqual(hit["matchScore"], 1)
        for key in ("content", "type", "importance", "tags", "createdAt"):
            self.assertIn(key, hit)
        # Tags: any of the comma-separated ones; type filter.
        self.assertEqual(ann.get("/search", params={"q": "user", "tags": "rust,go"}).json()["pagination"]["total"], 1)
        self.assertEqual(ann.get("/search", params={"q": "user", "type": "event"}).json()["pagination"]["total"], 0)
        for i in range(5):
            self.save(ann, f"gardening note {i}")
        p2 = ann.get("/search", params={"q": "gardening", "page": 2, "limit": 2}).json()
        self.assertEqual(p2["pagination"], {"total": 5, "page": 2, "limit": 2, "totalPages": 3, "hasNext": True,
                                            "hasPrev": True})
        self.assertEqual(len(p2["results"]), 2)
        # Query syntax is text.
        for q in ('"python', "python*", "NEAR(x", "-python", "' OR 1=1 --"):
            self.assertEqual(ann.get("/search", params={"q": q}).status_code, 200, q)

    def test_update_and_delete(self):
        ann = SecondbrainUser(self.srv)
        m = self.save(ann, "User prefers dark mode and minimal UI", type="preference", importance=0.8, tags=["ui"])
        r = ann.put(f"/memory/{m['id']}", json={"content": "User strongly prefers dark mode and minimal UI",
                                                "importance": 0.9, "tags": ["ui", "settings", "critical"]})
        self.assertEqual(r.status_code, 200, r.text)
        u = r.json()["memory"]
        self.assertEqual((u["id"], u["content"], u["type"], u["importance"], u["tags"]),
                         (m["id"], "User strongly prefers dark mode and minimal UI", "preference", 0.9,
                          ["ui", "settings", "critical"]))
        self.assertRegex(u["updatedAt"], RFC3339_MS)
        self.assertEqual(ann.get("/search", params={"q": "strongly"}).json()["pagination"]["total"], 1)
        r = ann.put(f"/memory/{m['id']}", json={"importance": 3})
        self.assertEqual(error_of(self, r, 400, "VALIDATION_ERROR")["details"]["field"], "importance")
        r = ann.delete(f"/memory/{m['id']}")
        self.assertEqual(r.json(), {"message": "Memory deleted successfully", "deletedId": m["id"]})
        error_of(self, ann.delete(f"/memory/{m['id']}"), 404, "NOT_FOUND")
        error_of(self, ann.put(f"/memory/{m['id']}", json={"content": "x"}), 404, "NOT_FOUND")
        self.assertEqual(ann.get("/search", params={"q": "strongly"}).json()["pagination"]["total"], 0)

    def test_another_users_memories_are_not_found(self):
        ann, bob = SecondbrainUser(self.srv), SecondbrainUser(self.srv)
        m = self.save(ann, "Ann's secret: the code is 1234")
        error_of(self, bob.put(f"/memory/{m['id']}", json={"content": "mine"}), 404, "NOT_FOUND")
        error_of(self, bob.delete(f"/memory/{m['id']}"), 404, "NOT_FOUND")
        self.assertEqual(bob.get("/search", params={"q": "secret"}).json()["results"], [])
        self.assertEqual(bob.get("/memory/recall", params={"query": "secret code"}).json()["memories"], [])
        self.assertEqual(ann.get("/search", params={"q": "secret"}).json()["pagination"]["total"], 1)
        profile = ann.get("/user/profile").json()["user"]["stats"]
        self.assertEqual(profile["totalMemories"], 1)

    def test_memory_updated_reaches_the_users_sockets(self):
        import socketio  # python3-socketio (Debian)
        ann, bob = SecondbrainUser(self.srv), SecondbrainUser(self.srv)
        seen = {"ann": [], "bob": []}
        got = threading.Event()
        clients = []
        for name, user in (("ann", ann), ("bob", bob)):
            sio = socketio.Client(reconnection=False)

            def on_memory(data, name=name):
                seen[name].append(data)
                if name == "ann" and len(seen["ann"]) >= 3:
                    got.set()
            sio.on("memory:updated", on_memory)
            sio.connect(f"http://127.0.0.1:{self.srv.port('secondbrain_socket')}", transports=["websocket"],
                        auth={"token": user.token}, wait_timeout=5)
            clients.append(sio)
        try:
            m = self.save(ann, "Works at XYZ Corp")
            ann.put(f"/memory/{m['id']}", json={"content": "Works at ABC Corp"})
            ann.delete(f"/memory/{m['id']}")
            self.assertTrue(got.wait(10), seen)
            self.assertEqual(seen["ann"], [{"memoryId": m["id"], "type": "created", "content": "Works at XYZ Corp"},
                                           {"memoryId": m["id"], "type": "updated", "content": "Works at ABC Corp"},
                                           {"memoryId": m["id"], "type": "deleted", "content": ""}])
            self.assertEqual(seen["bob"], [])
        finally:
            for c in clients:
                c.disconnect()

    def test_memory_rate_limit(self):
        # A bucket of 100 that refills at 100 per minute: at least 100 pass before the first
        # refusal (more when the requests take long enough to earn refills).
        ann = SecondbrainUser(self.srv)
        passed = 0
        r = None
        for _ in range(400):
            r = ann.get("/memory/recall", params={"query": "x"})
            if r.status_code != 200:
                break
            passed += 1
        self.assertGreaterEqual(passed, 100)
        err = error_of(self, r, 429, "RATE_LIMIT_ERROR", "RATE_001")
        self.assertEqual(err["details"]["limit"], 100)
        self.assertEqual(err["details"]["window"], "1 minute")


if __name__ == "__main__":
    unittest.main()
