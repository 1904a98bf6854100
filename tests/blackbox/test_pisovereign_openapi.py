"""PiSovereign's OpenAPI 3.1 document: validated by an independent validator
(@apidevtools/swagger-parser), listing every route the server serves (checked against
the spec's endpoint table and by calling every documented operation), identical from
the CLI, with Swagger UI and the reference page served from local files."""

import csv
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import requests

from harness import AtriumServer, atrium_binary

NODE_DIR = os.path.join(os.path.dirname(__file__), "..", "node")
ENDPOINTS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "spec", "endpoints.tsv")


class OpenApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer().start()
        cls.doc = requests.get(cls.srv.url("pisovereign", "/api-docs/openapi.json"), timeout=10).json()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        assert "runtime error:" not in log and "AddressSanitizer" not in log, log
        assert code == 0, code

    def test_validates_with_swagger_parser(self):
        if not shutil.which("node") or not os.path.isdir(os.path.join(NODE_DIR, "node_modules", "@apidevtools")):
            self.skipTest("node and tests/node/node_modules are needed (scripts/install-deps --test)")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(self.doc, f)
        try:
            out = subprocess.run(["node", "validate-openapi.js", f.name], cwd=NODE_DIR, capture_output=True,
                                 text=True, timeout=60)
        finally:
            os.unlink(f.name)
        self.assertEqual(out.returncode, 0, out.stderr)
        operations = sum(len(item) for item in self.doc["paths"].values())
        self.assertEqual(out.stdout.strip(), f"ok 3.1.0 {operations}")

    def test_every_spec_endpoint_is_documented(self):
        if not os.path.exists(ENDPOINTS):
            self.skipTest("shared/spec is not beside the repository")
        with open(ENDPOINTS) as f:
            rows = [r for r in csv.reader(f, delimiter="\t") if r and r[0] == "pisovereign"]
        self.assertGreater(len(rows), 10)
        for _, _, method, path in rows:
            self.assertIn(path, self.doc["paths"])
            self.assertIn(method.lower(), self.doc["paths"][path], f"{method} {path}")

    def test_every_documented_operation_is_served(self):
        assets = os.path.exists("/usr/lib/python3/dist-packages/flasgger/ui3/static/swagger-ui.css")
        for path, item in self.doc["paths"].items():
            if "{file}" in path and not assets:
                continue  # served, but 404 "not installed" without python3-flasgger
            concrete = path.replace("{file}", "swagger-ui.css")
            for method in item:
                r = requests.request(method.upper(), self.srv.url("pisovereign", concrete), timeout=10)
                self.assertNotIn(r.status_code, (404, 405), f"{method} {path}: {r.status_code} {r.text[:200]}")

    def test_every_operation_says_its_real_security_body_and_errors(self):
        """Walks the served document: bearer security exactly where a request without a
        key is refused with 401, a JSON request body on every POST/PUT, and every error
        response in the Error schema (directly or through components/responses)."""
        def error_schema(response):
            if "$ref" in response:
                response = self.doc["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
            return response["content"]["application/json"]["schema"]

        for path, item in self.doc["paths"].items():
            concrete = path.replace("{file}", "swagger-ui.css")
            for method, op in item.items():
                where = f"{method} {path}"
                r = requests.request(method.upper(), self.srv.url("pisovereign", concrete), json={}, timeout=10)
                needs_key = r.status_code == 401 and "Invalid or missing API key" in r.text
                bearer = op["security"] == [{"bearerAuth": []}]
                self.assertEqual(bearer, needs_key, f"{where}: {r.status_code} {r.text[:200]}")
                if not bearer:
                    self.assertEqual(op["security"], [], where)
                else:
                    self.assertTrue({"401", "403", "429"} <= set(op["responses"]), where)
                if method in ("post", "put", "patch"):
                    self.assertIn("application/json", op["requestBody"]["content"], where)
                    self.assertTrue({"400", "422"} <= set(op["responses"]), where)
                for status, response in op["responses"].items():
                    if status.startswith("2") or status == "101":
                        continue
                    self.assertEqual(error_schema(response), {"$ref": "#/components/schemas/Error"},
                                     f"{where} {status}")
        chat = self.doc["paths"]["/v1/chat"]["post"]
        self.assertEqual(chat["requestBody"]["content"]["application/json"]["schema"],
                         {"$ref": "#/components/schemas/ChatRequest"})
        self.assertEqual(chat["responses"]["200"]["content"]["application/json"]["schema"],
                         {"$ref": "#/components/schemas/ChatResponse"})
        self.assertEqual(chat["responses"]["401"], {"$ref": "#/components/responses/Unauthorized"})

    def test_undocumented_paths_are_not_served(self):
        r = requests.get(self.srv.url("pisovereign", "/v1/not-documented"), timeout=10)
        self.assertEqual(r.status_code, 404)

    def test_cli_writes_the_same_document(self):
        out = os.path.join(self.srv.workdir, "openapi.json")
        made = subprocess.run([atrium_binary(), "openapi", "--dialect", "pisovereign", "--output", out,
                               "--config", os.path.join(self.srv.workdir, "atrium.toml")],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(made.returncode, 0, made.stderr)
        with open(out) as f:
            self.assertEqual(json.load(f), self.doc)
        bad = subprocess.run([atrium_binary(), "openapi", "--dialect", "mira", "--output", out],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(bad.returncode, 1)
        self.assertEqual(bad.stderr, "atrium: openapi: only the pisovereign dialect has an OpenAPI document\n")

    def test_documentation_pages_without_a_cdn(self):
        for page in ("/swagger-ui/", "/redoc/"):
            r = requests.get(self.srv.url("pisovereign", page), timeout=10)
            self.assertEqual(r.status_code, 200)
            self.assertEqual(r.headers["Content-Type"], "text/html; charset=utf-8")
            self.assertNotIn("https://", r.text)
        assets = "/usr/lib/python3/dist-packages/flasgger/ui3/static/swagger-ui-bundle.js"
        if not os.path.exists(assets):
            self.skipTest("python3-flasgger (the packaged swagger-ui) is not installed")
        r = requests.get(self.srv.url("pisovereign", "/swagger-ui/swagger-ui-bundle.js"), timeout=10)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.headers["Content-Type"], "application/javascript")
        with open(assets, "rb") as f:
            self.assertEqual(r.content, f.read())

    def test_spec_shapes(self):
        self.assertEqual(self.doc["openapi"], "3.1.0")
        self.assertEqual(self.doc["info"]["title"], "PiSovereign API")
        self.assertEqual(self.doc["components"]["securitySchemes"]["bearerAuth"],
                         {"type": "http", "scheme": "bearer", "description": "API key authentication"})
        parse = self.doc["paths"]["/v1/commands/parse"]["post"]
        self.assertEqual(parse["requestBody"]["content"]["application/json"]["schema"],
                         {"$ref": "#/components/schemas/ParseRequest"})
        self.assertEqual(parse["security"], [{"bearerAuth": []}])
        self.assertEqual(self.doc["paths"]["/health"]["get"]["security"], [])


if __name__ == "__main__":
    unittest.main()
