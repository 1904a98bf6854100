"""Unichat image generation (/api/image-gen/*) against uni-chat-api.md: validation, the
"LLM unavailable" answer with no upstream, and each user's own history."""

import base64
import unittest

import requests

from fake_upstream import FakeUpstream
from harness import AtriumServer
from unichat_client import UnichatUser, UnichatUsersMixin

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 13


def data_uri(mime, raw):
    return f"data:{mime};base64," + base64.b64encode(raw).decode()


class ImagesTestBase(UnichatUsersMixin, unittest.TestCase):
    CONFIG = {"security": {"rate_limits": False}}

    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config=cls.CONFIG).start()
        cls.users = {name: UnichatUser(cls.srv, f"{name}@example.com") for name in ("ann", "bob")}



class UnconfiguredImagesTest(ImagesTestBase):
    def test_generate_validates_then_answers_unavailable(self):
        cases = [
            ({"model": "m"}, "prompt is required"),
            ({"prompt": "A sunset"}, "model is required"),
            ({"prompt": 5, "model": "m"}, "prompt must be a string"),
            ({"prompt": "A sunset", "model": "m", "input_images": "x"},
             "input_images must be an array of data URIs or URLs"),
            ({"prompt": "A sunset", "model": "m", "input_images": ["junk"]},
             "input_images[0] must be a base64 data URI (data:image/...;base64,...) or an http(s) URL"),
            ({"prompt": "A sunset", "model": "m", "input_images": [data_uri("image/jpeg", PNG)]},
             "input_images[0] does not contain the image type it declares"),
            ({"prompt": "A sunset", "model": "m", "input_images": ["data:image/png;base64,@@@@"]},
             "input_images[0] is not valid base64"),
            ({"prompt": "A sunset", "model": "m", "input_images": ["https://e.com/a.png"] * 15},
             "input_images: at most 14 images"),
        ]
        for body, message in cases:
            with self.subTest(message=message):
                r = self.call("POST", "/api/image-gen/generate", json=body)
                self.assertEqual((r.status_code, r.json()), (400, {"error": message}))
        r = self.call("POST", "/api/image-gen/generate",
                      json={"prompt": "A beautiful sunset over mountains", "model": "bytedance-seed/seedream-4.5",
                            "negative_prompt": "blurry", "input_images": [data_uri("image/png", PNG)]})
        self.assertEqual((r.status_code, r.json()), (503, {"error": "No image generation upstream is configured"}))
        self.assertEqual(self.call("GET", "/api/image-gen/history").json()["total"], 0)

    def test_lists_and_unknown_images(self):
        self.assertEqual(self.call("GET", "/api/image-gen/models").json(), {"models": []})
        r = self.call("GET", "/api/image-gen/history?page=1&limit=20&favorites=true")
        self.assertEqual((r.status_code, r.json()),
                         (200, {"images": [], "total": 0, "page": 1, "limit": 20, "pages": 0}))
        self.assertEqual(self.call("GET", "/api/image-gen/history?favorites=maybe").status_code, 400)
        for method, path in [("DELETE", "/api/image-gen/nope"), ("POST", "/api/image-gen/nope/favorite"),
                             ("GET", "/api/image-gen/nope/image")]:
            r = self.call(method, path)
            self.assertEqual((r.status_code, r.json()), (404, {"error": "Image not found"}))
        for method, path in [("GET", "/api/image-gen/models"), ("POST", "/api/image-gen/generate"),
                             ("GET", "/api/image-gen/history")]:
            self.assertEqual(self.call(method, path, None, json={}).status_code, 401)


if __name__ == "__main__":
    unittest.main()


class ConfiguredImagesTest(ImagesTestBase):
    """Generation through the LLM gateway against the fake upstream's image endpoint."""

    @classmethod
    def setUpClass(cls):
        cls.fake = FakeUpstream()
        cls.fake_url = cls.fake.url
        cls.CONFIG = {"security": {"rate_limits": False},
                      "llm": {"base_url": cls.fake_url + "/v1", "model": "fake-chat", "image_models": ["fake-image"]}}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.fake.stop()

    def test_generate_store_history_favorite_delete(self):
        self.assertEqual(self.call("GET", "/api/image-gen/models").json()["models"][0]["id"], "fake-image")
        ref = data_uri("image/png", PNG)
        r = self.call("POST", "/api/image-gen/generate",
                      json={"prompt": "A beautiful sunset over mountains", "model": "fake-image",
                            "negative_prompt": "blurry, low quality", "input_images": [ref]})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        image = body["image"]
        self.assertEqual((image["prompt"], image["model_id"], image["negative_prompt"], image["is_favorite"]),
                         ("A beautiful sunset over mountains", "fake-image", "blurry, low quality", False))
        self.assertEqual(image["settings"], {"input_images_count": 1, "has_input_images": True})
        self.assertIsInstance(image["metadata"]["generation_time_ms"], int)
        self.assertEqual(image["user_id"], self.users["ann"].id)
        self.assertTrue(body["image_data"].startswith("data:image/png;base64,"))
        raw = base64.b64decode(body["image_data"].split(",", 1)[1])
        self.assertEqual(raw[:8], b"\x89PNG\r\n\x1a\n")
        # What the upstream was sent.
        sent = [q for q in requests.get(self.fake_url + "/__fake/stats", timeout=10).json()["recent_requests"]
                if q["path"] == "/v1/images/generations"][-1]["body"]
        self.assertEqual((sent["model"], sent["prompt"], sent["negative_prompt"], sent["image"],
                          sent["response_format"]),
                         ("fake-image", "A beautiful sunset over mountains", "blurry, low quality", [ref], "b64_json"))

        r = self.call("GET", image["image_url"])
        self.assertEqual((r.status_code, r.headers["Content-Type"], r.content), (200, "image/png", raw))
        self.assertEqual(self.call("GET", image["image_url"], "bob").status_code, 404)

        history = self.call("GET", "/api/image-gen/history").json()
        self.assertEqual((history["total"], history["pages"], history["images"][0]["id"]), (1, 1, image["id"]))
        self.assertEqual(self.call("GET", "/api/image-gen/history", "bob").json()["total"], 0)
        r = self.call("POST", f"/api/image-gen/{image['id']}/favorite")
        self.assertEqual((r.status_code, r.json()), (200, {"is_favorite": True}))
        self.assertEqual(self.call("GET", "/api/image-gen/history?favorites=true").json()["total"], 1)
        self.assertEqual(self.call("POST", f"/api/image-gen/{image['id']}/favorite", "bob").status_code, 404)
        self.assertEqual(self.call("DELETE", f"/api/image-gen/{image['id']}", "bob").status_code, 404)
        r = self.call("DELETE", f"/api/image-gen/{image['id']}")
        self.assertEqual((r.status_code, r.json()), (200, {"message": "Image deleted"}))
        self.assertEqual(self.call("GET", image["image_url"]).status_code, 404)
        self.assertEqual(self.call("GET", "/api/image-gen/history").json()["total"], 0)

    def test_upstream_failure_stores_nothing(self):
        r = self.call("POST", "/api/image-gen/generate", json={"prompt": "p", "model": "no-such-model"})
        self.assertIn(r.status_code, (404, 502, 503), r.text)
        self.assertEqual(list(r.json()), ["error"])
        self.assertEqual(self.call("GET", "/api/image-gen/history").json()["total"], 0)
