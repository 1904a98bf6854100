"""Unichat's pagination (uni-chat-api.md, Pagination): `skip` is the alternative to
`page` on every list, with total, page, limit and has_more consistent with it."""

import unittest

from fake_upstream import FakeUpstream
from harness import AtriumServer
from unichat_client import UnichatUser, UnichatUsersMixin, promote


class UnichatPagingTest(UnichatUsersMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeUpstream()
        config = {"security": {"rate_limits": False}, "llm": {"base_url": cls.fake.base, "model": "fake-chat"}}
        cls.srv = AtriumServer(config=config).start()
        cls.users = {name: UnichatUser(cls.srv, f"{name}@example.com") for name in ("ann", "bob", "cid", "root")}
        promote(cls.srv, "root@example.com")
        ann = cls.users["ann"]
        cls.configs = []
        for name in ("One", "Two", "Three", "Four"):
            r = ann.call("POST", "/api/configs", json={"name": name, "model_id": "fake-chat"})
            assert r.status_code == 201, r.text
            cls.configs.append(r.json()["config"]["id"])
            assert ann.call("POST", f"/api/configs/{cls.configs[-1]}/publish").status_code == 200
        cls.chat = None
        for title in ("c1", "c2", "c3"):
            r = ann.call("POST", "/api/conversations", json={"title": title, "config_id": cls.configs[0]})
            assert r.status_code == 201, r.text
            cls.chat = cls.chat or r.json()["conversation"]["id"]
        for text in ("first", "second"):
            r = ann.call("POST", "/api/chat/send", json={"conversation_id": cls.chat, "config_id": cls.configs[0],
                                                          "message": text})
            assert r.status_code == 200, r.text
        for i in range(3):
            r = ann.call("POST", "/api/arena/sessions", json={"config_ids": cls.configs[:2], "title": f"a{i}"})
            assert r.status_code == 201, r.text

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.fake.stop()

    def lists(self):
        ann = self.users["ann"].id
        return [("ann", "/api/conversations", "conversations"), ("ann", "/api/configs", "configs"),
                ("bob", "/api/gallery", "configs"), ("ann", "/api/arena/sessions", "sessions"),
                ("root", "/api/admin/users", "users"), ("ann", f"/api/chat/{self.chat}/messages", "messages"),
                ("root", f"/api/admin/users/{ann}/history", "conversations")]

    def test_skip_passes_over_items_on_every_list(self):
        for who, path, key in self.lists():
            with self.subTest(path=path):
                full = self.call("GET", path, who, params={"limit": 100}).json()
                ids = [item["id"] for item in full[key]]
                self.assertGreaterEqual(len(ids), 3, full)
                for skip in range(len(ids) + 1):
                    r = self.call("GET", path, who, params={"skip": skip, "limit": 2})
                    self.assertEqual(r.status_code, 200, r.text)
                    body = r.json()
                    self.assertEqual([item["id"] for item in body[key]], ids[skip:skip + 2], skip)
                    self.assertEqual((body["total"], body["page"], body["limit"], body["has_more"]),
                                     (len(ids), skip // 2 + 1, 2, skip + 2 < len(ids)), skip)
                # skip wins over page; page alone still pages.
                self.assertEqual([i["id"] for i in self.call("GET", path, who, params={"skip": 1, "page": 3,
                                                                                          "limit": 1}).json()[key]],
                                 ids[1:2])
                self.assertEqual([i["id"] for i in self.call("GET", path, who, params={"page": 2,
                                                                                          "limit": 1}).json()[key]],
                                 ids[1:2])

    def test_a_bad_skip_is_400_naming_it(self):
        for who, path, _ in self.lists():
            for skip in ("-1", "x", "1.5"):
                with self.subTest(path=path, skip=skip):
                    r = self.call("GET", path, who, params={"skip": skip})
                    self.assertEqual((r.status_code, r.json()),
                                     (400, {"error": "skip must be an integer from 0 to 100000000"}))


if __name__ == "__main__":
    unittest.main()
