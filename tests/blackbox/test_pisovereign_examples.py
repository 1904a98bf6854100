"""pisovereign-api.md's SDK examples (cURL, Python with requests, TypeScript fetch), run
as the spec prints them against Atrium and the fake upstream, with only the host
pointed at this server; and /v1/chat/stream read by a real EventSource client."""

import json
import os
import re
import subprocess
import unittest

from fake_upstream import FakeUpstream
from harness import AtriumServer

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = os.path.join(HERE, "..", "..", "..", "shared", "spec", "pisovereign-api.md")
SSE_CLIENT = os.path.join(HERE, "node", "pisovereign_sse.cjs")
# The spec's own key and its config example's user id.
KEY = "sk-abc123"
USER = "550e8400-e29b-41d4-a716-446655440000"


def spec_block(language, after):
    with open(SPEC) as f:
        text = f.read()
    start = text.index(after)
    match = re.compile(r"```" + language + r"\n(.*?)```", re.S).search(text, start)
    return match.group(1)


@unittest.skipUnless(os.path.exists(SPEC), "shared/spec is not beside the repository")
class PisovereignExamplesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeUpstream()
        cls.srv = AtriumServer(config={"llm": {"base_url": cls.fake.base, "model": "fake-chat"},
                                       "security": {"rate_limits": False},
                                       "security.api_key_users": {KEY: USER}}).start()
        cls.base = cls.srv.url("pisovereign", "")

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        cls.fake.stop()
        if "ERROR: AddressSanitizer" in log or "runtime error:" in log or code != 0:
            raise AssertionError(log)

    def localize(self, code):
        return code.replace("http://localhost:3000", self.base.rstrip("/"))

    def test_python_example(self):
        code = self.localize(spec_block("python", "### Python"))
        r = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        # The fake upstream echoes the last user message.
        self.assertEqual(r.stdout.strip(), "Echo: What's the weather?")

    def test_typescript_example(self):
        code = self.localize(spec_block("typescript", "### JavaScript/TypeScript"))
        # Node runs JavaScript: drop the two type annotations the example carries.
        js = code.replace("(message: string): Promise<string>", "(message)")
        self.assertNotIn(": string", js)
        js += '\nchat("Hello from TypeScript").then((text) => console.log(text), (e) => { console.error(e); process.exit(1); });\n'
        r = subprocess.run(["node", "-e", js], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "Echo: Hello from TypeScript")

    def test_curl_chat_example(self):
        block = self.localize(spec_block("bash", "### cURL"))
        chat = re.search(r"# Chat\n(curl .*?)\n\n", block, re.S).group(1)
        r = subprocess.run(["bash", "-c", chat + " --silent --show-error --max-time 30"], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        body = json.loads(r.stdout)
        self.assertEqual(body["content"], "Echo: Hello")
        self.assertTrue(body["conversation_id"])

    def test_stream_with_an_eventsource_client(self):
        r = subprocess.run(["node", SSE_CLIENT, self.base.rstrip("/") + "/v1/chat/stream", KEY, "stream this please"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        out = json.loads(r.stdout.strip().splitlines()[-1])
        self.assertEqual(out["text"], "Echo: stream this please")
        self.assertEqual(out["events"][-1], "done")
        self.assertGreaterEqual(out["events"].count("message"), 2)
        tokens = out["done"]["tokens"]
        self.assertGreater(tokens["completion"], 0)
        self.assertEqual(tokens["total"], tokens["prompt"] + tokens["completion"])


if __name__ == "__main__":
    unittest.main()
