"""Unichat image generation (/api/image-gen/*) against uni-chat-api.md: validation, the
"LLM unavailable" answer with no upstream, and each user's own history."""

import base64
import unittest

import requests

from harness import AtriumServer
from unichat_client import UnichatUser, anonymous
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 13


def data_uri(mime, raw):
    return f"data:{mime};base64," + base64.b64encode(raw).decode()


class ImagesTestBase(unittest.TestCase):
    CONFIG = {"security": {"rate_limits": False}}

    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config=cls.CONFIG).start()
        cls.users = {name: UnichatUser(cls.srv, f"{name}@example.com") for name in ("ann", "bob")}

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        cls.srv.cleanup()
        assert code == 0, code

    def call(self, method, path, who="ann", **kw):
        if who is None:
            return anonymous(self.srv, method, path, **kw)
        return self.users[who].call(method, path, **kw)


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
