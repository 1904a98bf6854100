"""Unichat LLM configs, gallery, prompt templates and admin routes, end to end, against
uni-chat-api.md: fields, status codes, the ownership rule (another user's private config
is 404) and the admin rule (every admin route is 403 for a user)."""

import unittest

import requests

from harness import AtriumServer
from unichat_client import PASSWORD, UnichatUser, UnichatUsersMixin, promote

CONFIG = {
    "name": "Code Assistant",
    "model_id": "anthropic/claude-3-sonnet",
    "model_name": "Claude 3 Sonnet",
    "description": "Helpful coding assistant",
    "system_prompt": "You are a helpful coding assistant...",
    "avatar": "\U0001F468\u200D\U0001F4BB",
    "parameters": {"temperature": 0.7, "max_tokens": 2048, "top_p": 1.0, "frequency_penalty": 0.0,
                   "presence_penalty": 0.0},
    "tags": ["coding", "development"],
}

CONFIG_KEYS = {"id", "name", "model_id", "model_name", "owner_id", "visibility", "description", "system_prompt",
               "avatar", "parameters", "tags", "stats", "created_at", "updated_at"}


class UnichatConfigsTest(UnichatUsersMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"security": {"rate_limits": False}}).start()
        cls.users = {name: UnichatUser(cls.srv, f"{name}@example.com") for name in ("ann", "bob", "root")}
        promote(cls.srv, "root@example.com")


    def create(self, who="ann", **overrides):
        r = self.call("POST", "/api/configs", who, json=dict(CONFIG, **overrides))
        self.assertEqual(r.status_code, 201, r.text)
        return r.json()["config"]

    # --- configs ---

    def test_create_get_list_shape(self):
        c = self.create(name="Shape")
        self.assertEqual(set(c), CONFIG_KEYS)
        self.assertEqual((c["name"], c["model_id"], c["model_name"], c["visibility"], c["owner_id"]),
                         ("Shape", CONFIG["model_id"], "Claude 3 Sonnet", "private", self.users["ann"].id))
        self.assertEqual(c["parameters"], CONFIG["parameters"])
        self.assertEqual(c["tags"], ["coding", "development"])
        self.assertEqual(c["stats"], {"uses_count": 0, "saves_count": 0})
        self.assertEqual(c["avatar"], CONFIG["avatar"])
        self.assertRegex(c["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

        r = self.call("GET", f"/api/configs/{c['id']}")
        self.assertEqual((r.status_code, r.json()), (200, {"config": c}))

        r = self.call("GET", "/api/configs?page=1&limit=50")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual((body["page"], body["limit"]), (1, 50))
        self.assertIn(c["id"], [x["id"] for x in body["configs"]])
        self.assertEqual(body["total"], len(body["configs"]))

    def test_defaults_and_partial_update(self):
        r = self.call("POST", "/api/configs", json={"name": "Minimal", "model_id": "mistral-7b-instruct"})
        self.assertEqual(r.status_code, 201, r.text)
        c = r.json()["config"]
        self.assertEqual(c["parameters"], {"temperature": 0.7, "max_tokens": 2048, "top_p": 1.0,
                                           "frequency_penalty": 0.0, "presence_penalty": 0.0})
        self.assertEqual((c["description"], c["system_prompt"], c["tags"]), ("", "", []))
        r = self.call("PUT", f"/api/configs/{c['id']}",
                      json={"name": "Updated Name", "parameters": {"temperature": 1.5}, "tags": [" New ", "new"]})
        self.assertEqual(r.status_code, 200, r.text)
        u = r.json()["config"]
        self.assertEqual(u["name"], "Updated Name")
        self.assertEqual(u["parameters"]["temperature"], 1.5)
        self.assertEqual(u["parameters"]["max_tokens"], 2048)  # untouched
        self.assertEqual(u["tags"], ["new"])
        self.assertEqual(u["model_id"], "mistral-7b-instruct")

    def test_validation(self):
        cases = [
            ({"model_id": "m"}, "name is required"),
            ({"name": "", "model_id": "m"}, "name must be 1-100 characters"),
            ({"name": "x" * 101, "model_id": "m"}, "name must be 1-100 characters"),
            ({"name": "n"}, "model_id is required"),
            ({"name": "n", "model_id": "has space"}, "model_id must not contain spaces or control characters"),
            ({"name": "n", "model_id": "m", "system_prompt": "p" * 10001},
             "system_prompt must be at most 10000 characters"),
            ({"name": "n", "model_id": "m", "parameters": {"temperature": 2.5}},
             "parameters.temperature must be between 0 and 2"),
            ({"name": "n", "model_id": "m", "parameters": {"top_p": -0.1}}, "parameters.top_p must be between 0 and 1"),
            ({"name": "n", "model_id": "m", "parameters": {"max_tokens": 0}},
             "parameters.max_tokens must be between 1 and 1000000"),
            ({"name": "n", "model_id": "m", "parameters": {"max_tokens": 1.5}},
             "parameters.max_tokens must be an integer"),
            ({"name": "n", "model_id": "m", "parameters": {"presence_penalty": "high"}},
             "parameters.presence_penalty must be a number"),
            ({"name": "n", "model_id": "m", "parameters": []}, "parameters must be an object"),
            ({"name": 5, "model_id": "m"}, "name must be a string"),
            ({"name": "n", "model_id": "m", "tags": "a,b"}, "tags must be an array of strings"),
            ({"name": "n", "model_id": "m", "tags": ["ok", ""]}, "each tag must be 1-50 characters"),
        ]
        for body, message in cases:
            with self.subTest(body=str(body)[:60]):
                r = self.call("POST", "/api/configs", json=body)
                self.assertEqual((r.status_code, r.json()), (400, {"error": message}))
        # A 10,000-character prompt is allowed, counted in characters, not bytes.
        r = self.call("POST", "/api/configs", json={"name": "n", "model_id": "m", "system_prompt": "\u00e9" * 10000})
        self.assertEqual(r.status_code, 201, r.text)
        r = self.call("POST", "/api/configs", data="{bad", headers={"Content-Type": "application/json"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.call("GET", "/api/configs?limit=0").status_code, 400)
        self.assertEqual(self.call("GET", "/api/configs?page=x").json(),
                         {"error": "page must be an integer from 1 to 1000000"})

    UNSAFE_AVATARS = ["javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html,<script>x</script>",
                      "data:image/svg+xml;base64,PHN2Zz4=", "vbscript:msgbox", "//evil.example/a.png",
                      "https://", "https://a.example/\"onerror=\"x", "http://a.example/ b", "<img src=x>"]

    def test_avatar_must_be_a_safe_url_an_emoji_or_initials(self):
        message = "avatar must be an http(s) URL, an emoji or initials (at most 16 characters)"
        for avatar in self.UNSAFE_AVATARS + ["x" * 17, "\U0001F916" * 17]:
            with self.subTest(avatar=avatar):
                r = self.call("POST", "/api/configs", json={"name": "n", "model_id": "m", "avatar": avatar})
                self.assertEqual((r.status_code, r.json()), (400, {"error": message}))
        c = self.create(name="Avatars")
        r = self.call("PUT", f"/api/configs/{c['id']}", json={"avatar": "javascript:alert(1)"})
        self.assertEqual((r.status_code, r.json()), (400, {"error": message}))
        self.assertEqual(self.call("GET", f"/api/configs/{c['id']}").json()["config"]["avatar"], c["avatar"])
        for avatar in ["\U0001F916", "\U0001F468\u200d\U0001F4BB", "JS", "\u00c9l", "https://cdn.example.com/a.png",
                       "HTTP://cdn.example.com:8080/a.png?x=1#y", ""]:
            with self.subTest(avatar=avatar):
                r = self.call("PUT", f"/api/configs/{c['id']}", json={"avatar": avatar})
                self.assertEqual((r.status_code, r.json()["config"]["avatar"]), (200, avatar), r.text)

    def test_profile_avatar_url_must_be_an_http_url(self):
        for avatar in self.UNSAFE_AVATARS + ["\U0001F916", "https://a.example/" + "x" * 2048]:
            with self.subTest(avatar=avatar[:40]):
                r = self.call("PUT", "/api/users/profile", "bob", json={"avatar_url": avatar})
                self.assertEqual((r.status_code, r.json()), (400, {"error": "avatar_url must be an http(s) URL or null"}))
        self.assertIsNone(self.call("GET", "/api/users/profile", "bob").json()["user"]["profile"]["avatar_url"])
        for avatar in ["https://cdn.example.com/a.png", "http://localhost:3000/me.jpg", None]:
            r = self.call("PUT", "/api/users/profile", "bob", json={"avatar_url": avatar})
            self.assertEqual((r.status_code, r.json()["user"]["profile"]["avatar_url"]), (200, avatar), r.text)

    def test_ownership_is_404(self):
        c = self.create(name="Private")
        for method, path, body in [("GET", f"/api/configs/{c['id']}", None),
                                   ("PUT", f"/api/configs/{c['id']}", {"name": "Stolen"}),
                                   ("DELETE", f"/api/configs/{c['id']}", None),
                                   ("POST", f"/api/configs/{c['id']}/publish", None),
                                   ("POST", f"/api/configs/{c['id']}/unpublish", None),
                                   ("POST", f"/api/configs/{c['id']}/duplicate", {}),
                                   ("GET", f"/api/gallery/{c['id']}", None),
                                   ("POST", f"/api/gallery/{c['id']}/save", None),
                                   ("POST", f"/api/gallery/{c['id']}/use", None)]:
            with self.subTest(method=method, path=path):
                r = self.call(method, path, "bob", json=body)
                self.assertEqual((r.status_code, r.json()), (404, {"error": "Config not found"}))
        self.assertNotIn(c["id"], [x["id"] for x in self.call("GET", "/api/configs", "bob").json()["configs"]])
        self.assertEqual(self.call("GET", f"/api/configs/{c['id']}").json()["config"]["name"], "Private")
        self.assertEqual(self.call("GET", "/api/configs", None).status_code, 401)

    def test_publish_duplicate_delete(self):
        c = self.create(name="Shared One")
        r = self.call("POST", f"/api/configs/{c['id']}/publish")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Config published", "visibility": "public"}))
        # Now others can read it and copy it, but not change it.
        self.assertEqual(self.call("GET", f"/api/configs/{c['id']}", "bob").status_code, 200)
        self.assertEqual(self.call("PUT", f"/api/configs/{c['id']}", "bob", json={"name": "x"}).status_code, 404)
        r = self.call("POST", f"/api/configs/{c['id']}/duplicate", "bob", json={"name": "Copy of Config Name"})
        self.assertEqual(r.status_code, 201, r.text)
        copy = r.json()["config"]
        self.assertEqual((copy["name"], copy["owner_id"], copy["visibility"]),
                         ("Copy of Config Name", self.users["bob"].id, "private"))
        self.assertNotEqual(copy["id"], c["id"])
        r = self.call("POST", f"/api/configs/{c['id']}/duplicate")  # no body: a default name
        self.assertEqual(r.json()["config"]["name"], "Copy of Shared One")

        r = self.call("POST", f"/api/configs/{c['id']}/unpublish")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Config unpublished", "visibility": "private"}))
        self.assertEqual(self.call("GET", f"/api/configs/{c['id']}", "bob").status_code, 404)

        r = self.call("DELETE", f"/api/configs/{c['id']}")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Config deleted"}))
        self.assertEqual(self.call("GET", f"/api/configs/{c['id']}").status_code, 404)
        # Bob's copy is his and survives.
        self.assertEqual(self.call("GET", f"/api/configs/{copy['id']}", "bob").status_code, 200)

    # --- gallery ---

    def test_gallery_browse_save_use(self):
        a = self.create(name="Gallery Alpha", description="translates French", tags=["language", "french"],
                        model_id="gallery/model-a")
        b = self.create(name="Gallery Beta", description="writes poems", tags=["writing"], model_id="gallery/model-b")
        for c in (a, b):
            self.assertEqual(self.call("POST", f"/api/configs/{c['id']}/publish").status_code, 200)

        r = self.call("GET", "/api/gallery?search=french", "bob")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(set(body), {"configs", "total", "page", "limit", "has_more"})
        self.assertEqual([x["id"] for x in body["configs"]], [a["id"]])
        self.assertEqual((body["total"], body["page"], body["limit"], body["has_more"]), (1, 1, 20, False))
        self.assertEqual([x["id"] for x in self.call("GET", "/api/gallery?tags=writing,unknown", "bob")
                          .json()["configs"]], [b["id"]])
        self.assertEqual([x["id"] for x in self.call("GET", "/api/gallery?model=gallery/model-a", "bob")
                          .json()["configs"]], [a["id"]])
        self.assertEqual(self.call("GET", "/api/gallery?search=100%25_", "bob").json()["total"], 0)
        self.assertEqual(self.call("GET", "/api/gallery?sort=bogus", "bob").status_code, 400)

        r = self.call("POST", f"/api/gallery/{b['id']}/save", "bob")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Config saved to your collection"}))
        self.assertEqual(self.call("POST", f"/api/gallery/{b['id']}/save", "bob").status_code, 200)  # idempotent
        self.assertEqual(self.call("GET", f"/api/gallery/{b['id']}", "bob").json()["config"]["stats"]["saves_count"],
                         1)
        saved = self.call("GET", "/api/gallery/saved", "bob").json()
        self.assertEqual([x["id"] for x in saved["configs"]], [b["id"]])

        r = self.call("POST", f"/api/gallery/{a['id']}/use", "bob")
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(body["message"], "Config copied to your collection")
        self.assertEqual((body["config"]["owner_id"], body["config"]["visibility"], body["config"]["name"]),
                         (self.users["bob"].id, "private", "Gallery Alpha"))
        self.assertEqual(self.call("GET", f"/api/gallery/{a['id']}", "bob").json()["config"]["stats"]["uses_count"], 1)

        sorted_by_saves = self.call("GET", "/api/gallery?sort=saves_count&search=Gallery", "bob").json()["configs"]
        self.assertEqual([x["id"] for x in sorted_by_saves], [b["id"], a["id"]])
        sorted_by_uses = self.call("GET", "/api/gallery?sort=uses_count&search=Gallery", "bob").json()["configs"]
        self.assertEqual([x["id"] for x in sorted_by_uses], [a["id"], b["id"]])
        newest = self.call("GET", "/api/gallery?sort=created_at&search=Gallery&limit=1", "bob").json()
        self.assertEqual((newest["has_more"], newest["total"], len(newest["configs"])), (True, 2, 1))

        r = self.call("POST", f"/api/gallery/{b['id']}/unsave", "bob")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Config removed from your collection"}))
        self.assertEqual(self.call("GET", "/api/gallery/saved", "bob").json()["configs"], [])
        self.assertEqual(self.call("GET", f"/api/gallery/{b['id']}", "bob").json()["config"]["stats"]["saves_count"],
                         0)
        self.assertEqual(self.call("GET", "/api/gallery/not-an-id", "bob").status_code, 404)

    # --- prompt templates ---

    def test_prompt_templates(self):
        body = {"name": "Marketing Copy", "category": "Marketing",
                "template_text": "Create compelling marketing copy for {product} targeting {audience}, not {{raw}} "
                                 "or {1} or { spaced }; {product} again.",
                "variables": ["ignored"], "description": "Generate marketing copy"}
        r = self.call("POST", "/api/prompt-templates/", "root", json=body)
        self.assertEqual(r.status_code, 201, r.text)
        made = r.json()
        self.assertEqual(made["message"], "Template created")
        t = made["template"]
        self.assertEqual((t["category"], t["variables"], t["usage_count"], t["is_active"]),
                         ("marketing", ["product", "audience"], 0, True))

        r = self.call("GET", "/api/prompt-templates/?category=marketing")
        self.assertEqual(r.status_code, 200)
        listed = r.json()["templates"]
        self.assertIn(t["id"], [x["id"] for x in listed])
        self.assertTrue({"id", "name", "category", "template_text", "variables", "description", "usage_count",
                         "is_active", "created_at"} <= set(listed[0]))
        self.assertIn("marketing", self.call("GET", "/api/prompt-templates/categories").json()["categories"])

        r = self.call("POST", f"/api/prompt-templates/{t['id']}/use")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Usage recorded"}))
        used = [x for x in self.call("GET", "/api/prompt-templates").json()["templates"] if x["id"] == t["id"]][0]
        self.assertEqual(used["usage_count"], 1)

        r = self.call("PUT", f"/api/prompt-templates/{t['id']}", "root",
                      json={"name": "Updated Name", "template_text": "Updated {thing}", "is_active": False})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["message"], "Template updated")
        self.assertNotIn(t["id"], [x["id"] for x in self.call("GET", "/api/prompt-templates").json()["templates"]])
        self.assertEqual(self.call("POST", f"/api/prompt-templates/{t['id']}/use").status_code, 404)

        r = self.call("DELETE", f"/api/prompt-templates/{t['id']}", "root")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Template deleted"}))
        self.assertEqual(self.call("DELETE", f"/api/prompt-templates/{t['id']}", "root").json(),
                         {"error": "Template not found"})
        r = self.call("POST", "/api/prompt-templates", "root", json={"name": "x", "category": "c"})
        self.assertEqual((r.status_code, r.json()), (400, {"error": "template_text is required"}))

    # --- admin ---

    def test_admin_routes_are_403_for_users(self):
        forbidden = [("GET", "/api/admin/users"), ("GET", f"/api/admin/users/{self.users['bob'].id}"),
                     ("PUT", f"/api/admin/users/{self.users['bob'].id}/ban"),
                     ("PUT", f"/api/admin/users/{self.users['bob'].id}/unban"),
                     ("PUT", f"/api/admin/users/{self.users['bob'].id}/limits"),
                     ("GET", "/api/admin/templates"), ("POST", "/api/admin/templates"),
                     ("PUT", "/api/admin/templates/x"), ("DELETE", "/api/admin/templates/x"),
                     ("GET", "/api/admin/audit-logs"), ("POST", "/api/prompt-templates/"),
                     ("PUT", "/api/prompt-templates/x"), ("DELETE", "/api/prompt-templates/x")]
        for method, path in forbidden:
            with self.subTest(method=method, path=path):
                r = self.call(method, path, "ann", json={})
                self.assertEqual((r.status_code, r.json()), (403, {"error": "Admin access required"}))
                self.assertEqual(self.call(method, path, None, json={}).status_code, 401)

    def test_admin_users_ban_limits_audit(self):
        victim = UnichatUser(self.srv, "victim@example.com")
        self.users["victim"] = victim
        r = self.call("GET", "/api/admin/users?search=VICTIM", "root")
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual((body["total"], body["page"], body["limit"], body["has_more"]), (1, 1, 20, False))
        u = body["users"][0]
        self.assertEqual((u["id"], u["email"], u["role"]), (victim.id, "victim@example.com", "user"))
        self.assertEqual(u["status"]["is_banned"], False)
        self.assertEqual(set(u["usage"]), {"messages_sent", "tokens_used", "tokens_limit"})
        self.assertEqual(u["profile"]["display_name"], "victim")

        r = self.call("GET", f"/api/admin/users/{victim.id}", "root")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["user"]["stats"]["config_count"], 0)
        self.assertEqual(self.call("GET", "/api/admin/users/nope", "root").status_code, 404)

        r = self.call("PUT", f"/api/admin/users/{self.users['root'].id}/ban", "root", json={"reason": "x"})
        self.assertEqual((r.status_code, r.json()), (400, {"error": "Cannot ban yourself"}))

        r = self.call("PUT", f"/api/admin/users/{victim.id}/limits", "root", json={"tokens_limit": 500000})
        self.assertEqual((r.status_code, r.json()),
                         (200, {"message": "User limits updated", "user_id": victim.id, "tokens_limit": 500000}))
        self.assertEqual(self.call("GET", f"/api/admin/users/{victim.id}", "root").json()["user"]["usage"]
                         ["tokens_limit"], 500000)
        self.assertEqual(self.call("PUT", f"/api/admin/users/{victim.id}/limits", "root",
                                   json={"tokens_limit": -2}).status_code, 400)
        self.assertEqual(self.call("PUT", f"/api/admin/users/{victim.id}/limits", "root",
                                   json={"tokens_limit": "lots"}).status_code, 400)

        r = self.call("PUT", f"/api/admin/users/{victim.id}/ban", "root",
                      json={"reason": "Violation of terms of service"})
        self.assertEqual((r.status_code, r.json()),
                         (200, {"message": "User banned", "user_id": victim.id,
                                "reason": "Violation of terms of service"}))
        # Banned: every session ends at once, signing in is refused, and the user is hidden
        # without include_banned.
        self.assertEqual(self.call("GET", "/api/configs", "victim").status_code, 401)
        r = requests.post(self.srv.url("unichat", "/api/auth/login"),
                          json={"email": "victim@example.com", "password": PASSWORD}, timeout=10)
        self.assertEqual((r.status_code, r.json()), (403, {"error": "Account banned"}))
        self.assertEqual(self.call("GET", "/api/admin/users?search=victim&include_banned=false", "root")
                         .json()["total"], 0)
        u = self.call("GET", f"/api/admin/users/{victim.id}", "root").json()["user"]
        self.assertEqual(u["status"]["is_banned"], True)
        self.assertEqual(u["status"]["ban_reason"], "Violation of terms of service")

        r = self.call("PUT", f"/api/admin/users/{victim.id}/unban", "root")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "User unbanned", "user_id": victim.id}))
        r = requests.post(self.srv.url("unichat", "/api/auth/login"),
                          json={"email": "victim@example.com", "password": PASSWORD}, timeout=10)
        self.assertEqual(r.status_code, 200)

        r = self.call("GET", "/api/admin/audit-logs?action=ban_user", "root")
        self.assertEqual(r.status_code, 200)
        logs = r.json()
        self.assertEqual((logs["skip"], logs["limit"]), (0, 50))
        entry = [e for e in logs["logs"] if e["target_id"] == victim.id][0]
        self.assertEqual(set(entry), {"id", "admin_id", "admin_email", "action", "target_id", "details", "created_at"})
        self.assertEqual((entry["admin_id"], entry["admin_email"], entry["action"], entry["details"]),
                         (self.users["root"].id, "root@example.com", "ban_user",
                          {"reason": "Violation of terms of service"}))
        actions = [e["action"] for e in self.call("GET", "/api/admin/audit-logs?limit=200", "root").json()["logs"]]
        self.assertIn("unban_user", actions)
        self.assertIn("update_limits", actions)
        self.assertEqual(self.call("GET", "/api/admin/audit-logs?skip=-1", "root").status_code, 400)

    def test_an_admin_change_whose_audit_write_fails_is_not_made(self):
        target = UnichatUser(self.srv, "audited@example.com")
        self.users["audited"] = target
        r = self.call("POST", "/api/prompt-templates", "root", json={"name": "Kept", "category": "audit",
                                                                     "template_text": "Hi {name}"})
        self.assertEqual(r.status_code, 201, r.text)
        kept = r.json()["template"]
        self.srv.refuse_inserts("audit_logs", "refuse_audit")
        try:
            self.assertEqual(self.call("PUT", f"/api/admin/users/{target.id}/ban", "root",
                                       json={"reason": "x"}).status_code, 500)
            self.assertEqual(self.call("PUT", f"/api/admin/users/{target.id}/limits", "root",
                                       json={"tokens_limit": 7}).status_code, 500)
            r = self.call("POST", "/api/prompt-templates", "root", json={"name": "Unaudited", "category": "audit",
                                                                         "template_text": "Hi"})
            self.assertEqual(r.status_code, 500)
            self.assertEqual(self.call("PUT", f"/api/prompt-templates/{kept['id']}", "root",
                                       json={"name": "Renamed"}).status_code, 500)
            self.assertEqual(self.call("DELETE", f"/api/prompt-templates/{kept['id']}", "root").status_code, 500)
        finally:
            self.srv.accept_inserts("audit_logs", "refuse_audit")
        # Nothing of it was kept: the user is active with their limit and still signed in,
        # the template is as it was, and no new one exists.
        self.assertEqual(self.call("GET", "/api/configs", "audited").status_code, 200)
        u = self.call("GET", f"/api/admin/users/{target.id}", "root").json()["user"]
        self.assertEqual((u["status"]["is_banned"], u["usage"]["tokens_limit"] != 7), (False, True))
        names = [t["name"] for t in self.call("GET", "/api/prompt-templates?category=audit").json()["templates"]]
        self.assertEqual(names, ["Kept"])

    def test_cannot_ban_another_admin(self):
        other = UnichatUser(self.srv, "admin2@example.com")
        promote(self.srv, "admin2@example.com")
        r = self.call("PUT", f"/api/admin/users/{other.id}/ban", "root", json={"reason": "x"})
        self.assertEqual((r.status_code, r.json()), (400, {"error": "Cannot ban other admins"}))

    def test_admin_config_templates(self):
        r = self.call("POST", "/api/admin/templates", "root", json=dict(CONFIG, name="Template Name"))
        self.assertEqual(r.status_code, 201, r.text)
        t = r.json()["template"]
        self.assertEqual((t["visibility"], t["name"]), ("template", "Template Name"))
        self.assertEqual(set(t), CONFIG_KEYS)
        self.assertIn(t["id"], [x["id"] for x in self.call("GET", "/api/gallery/templates").json()["templates"]])
        self.assertIn(t["id"], [x["id"] for x in self.call("GET", "/api/admin/templates", "root").json()["templates"]])
        # Templates are not the admin's own configs, and not in the public gallery list.
        self.assertNotIn(t["id"], [x["id"] for x in self.call("GET", "/api/configs", "root").json()["configs"]])
        self.assertEqual(self.call("PUT", f"/api/configs/{t['id']}", "root", json={"name": "x"}).status_code, 404)
        # Everyone can read, bookmark and use a template.
        self.assertEqual(self.call("GET", f"/api/gallery/{t['id']}").status_code, 200)
        r = self.call("POST", f"/api/gallery/{t['id']}/use")
        self.assertEqual(r.json()["config"]["visibility"], "private")

        r = self.call("PUT", f"/api/admin/templates/{t['id']}", "root",
                      json={"name": "Updated Name", "description": "Updated description"})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual((r.json()["template"]["name"], r.json()["template"]["description"]),
                         ("Updated Name", "Updated description"))
        own = self.create(name="Not a template")
        self.assertEqual(self.call("PUT", f"/api/admin/templates/{own['id']}", "root", json={"name": "x"}).json(),
                         {"error": "Template not found"})
        r = self.call("DELETE", f"/api/admin/templates/{t['id']}", "root")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Template deleted"}))
        self.assertEqual(self.call("GET", f"/api/gallery/{t['id']}").status_code, 404)
        actions = [e["action"] for e in self.call("GET", "/api/admin/audit-logs", "root").json()["logs"]]
        for a in ("create_template", "update_template", "delete_template"):
            self.assertIn(a, actions)


if __name__ == "__main__":
    unittest.main()
