"""Unichat arena sessions (REST) against uni-chat-api.md: 2-4 visible configs, each
user's own sessions, details with messages and configs, deletion."""

import unittest

from harness import AtriumServer
from unichat_client import UnichatUser, anonymous


class UnichatArenaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"security": {"rate_limits": False}}).start()
        cls.ann = UnichatUser(cls.srv, "ann@example.com")
        cls.bob = UnichatUser(cls.srv, "bob@example.com")
        cls.configs = [cls.make_config(cls.ann, name) for name in ("GPT", "Claude", "Gemini", "Llama", "Mistral")]
        cls.bobs = cls.make_config(cls.bob, "Bob's private")

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        cls.srv.cleanup()
        assert code == 0, code

    @staticmethod
    def make_config(user, name):
        model = "model/" + "".join(c for c in name.lower() if c.isalnum())
        r = user.call("POST", "/api/configs", json={"name": name, "model_id": model})
        assert r.status_code == 201, r.text
        return r.json()["config"]["id"]

    def test_create_get_list_delete(self):
        ids = self.configs[:3]
        r = self.ann.call("POST", "/api/arena/sessions", json={"config_ids": ids, "title": "GPT vs Claude vs Gemini"})
        self.assertEqual(r.status_code, 201, r.text)
        s = r.json()["session"]
        self.assertEqual((s["user_id"], s["config_ids"], s["title"], s["message_count"]),
                         (self.ann.id, ids, "GPT vs Claude vs Gemini", 0))
        self.assertRegex(s["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

        r = self.ann.call("GET", f"/api/arena/sessions/{s['id']}")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["session"], s)
        self.assertEqual(body["messages"], [])
        self.assertEqual([c["id"] for c in body["configs"]], ids)
        self.assertEqual(body["configs"][0]["name"], "GPT")

        r = self.ann.call("POST", "/api/arena/sessions", json={"config_ids": self.configs[3:5]})
        self.assertEqual(r.status_code, 201)
        untitled = r.json()["session"]
        self.assertEqual(untitled["title"], "Arena: Llama vs Mistral")

        listed = self.ann.call("GET", "/api/arena/sessions?limit=1").json()
        self.assertEqual((len(listed["sessions"]), listed["total"] >= 2, listed["has_more"]), (1, True, True))
        self.assertIn(s["id"], [x["id"] for x in self.ann.call("GET", "/api/arena/sessions").json()["sessions"]])
        self.assertEqual(self.bob.call("GET", "/api/arena/sessions").json()["sessions"], [])

        # Bob cannot see, read or delete Ann's session.
        for method in ("GET", "DELETE"):
            r = self.bob.call(method, f"/api/arena/sessions/{s['id']}")
            self.assertEqual((r.status_code, r.json()), (404, {"error": "Session not found"}))

        r = self.ann.call("DELETE", f"/api/arena/sessions/{s['id']}")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Session deleted"}))
        self.assertEqual(self.ann.call("GET", f"/api/arena/sessions/{s['id']}").status_code, 404)
        self.assertEqual(self.ann.call("DELETE", f"/api/arena/sessions/{s['id']}").status_code, 404)

    def test_config_rules(self):
        cases = [
            ({"config_ids": self.configs[:1]}, 400, "An arena session needs 2 to 4 different configs"),
            ({"config_ids": self.configs[:5]}, 400, "An arena session needs 2 to 4 different configs"),
            ({"config_ids": [self.configs[0], self.configs[0]]}, 400,
             "An arena session needs 2 to 4 different configs"),
            ({"config_ids": "x"}, 400, "config_ids must be an array of 2 to 4 config ids"),
            ({}, 400, "config_ids must be an array of 2 to 4 config ids"),
            ({"config_ids": [self.configs[0], 7]}, 400, "config_ids must be an array of 2 to 4 config ids"),
            ({"config_ids": self.configs[:2], "title": 3}, 400, "title must be a string"),
            ({"config_ids": self.configs[:2], "title": "t" * 201}, 400, "title must be at most 200 characters"),
            ({"config_ids": [self.configs[0], "missing"]}, 404, "Config not found"),
            ({"config_ids": [self.configs[0], self.bobs]}, 404, "Config not found"),  # Bob's private config
        ]
        for body, status, message in cases:
            with self.subTest(message=message, body=str(body)[:50]):
                r = self.ann.call("POST", "/api/arena/sessions", json=body)
                self.assertEqual((r.status_code, r.json()), (status, {"error": message}))
        # A public config of someone else's may be compared.
        self.assertEqual(self.bob.call("POST", f"/api/configs/{self.bobs}/publish").status_code, 200)
        r = self.ann.call("POST", "/api/arena/sessions", json={"config_ids": [self.configs[0], self.bobs]})
        self.assertEqual(r.status_code, 201, r.text)
        self.assertEqual(anonymous(self.srv, "GET", "/api/arena/sessions").status_code, 401)


if __name__ == "__main__":
    unittest.main()
