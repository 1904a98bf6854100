"""An https:// upstream: the fake upstream behind TLS with a self-signed certificate
made for the test. Atrium verifies the peer against the configured CA file (and
refuses it without one)."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import requests

from harness import AtriumServer

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "..", "upstream", "fake_openai.py")
KEY = "sk-atrium-tls-key-0123456789"
USER = "00000000-0000-4000-8000-0000000000b2"


class TlsUpstreamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="atrium-tls-")
        cls.cert = os.path.join(cls.dir, "cert.pem")
        key = os.path.join(cls.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cls.cert,
                        "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                       check=True, capture_output=True)
        ready = os.path.join(cls.dir, "ready.json")
        cls.fake = subprocess.Popen(["/usr/bin/python3", FAKE, "--port", "0", "--ready-file", ready,
                                     "--tls-cert", cls.cert, "--tls-key", key],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while not os.path.exists(ready):
            if time.monotonic() > deadline:
                raise RuntimeError("fake upstream did not start")
            time.sleep(0.02)
        with open(ready) as f:
            cls.port = json.load(f)["port"]

    @classmethod
    def tearDownClass(cls):
        cls.fake.terminate()
        cls.fake.wait(10)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def chat(self, srv, stream):
        return requests.post(srv.url("openai", "/v1/chat/completions"), timeout=(5, 30), stream=stream,
                             headers={"Authorization": f"Bearer {KEY}"},
                             json={"model": "fake-chat", "stream": stream,
                                   "messages": [{"role": "user", "content": "over tls"}]})

    def test_chat_through_a_verified_tls_upstream(self):
        config = {"llm": {"base_url": f"https://localhost:{self.port}/v1", "ca_file": self.cert},
                  "security.api_key_users": {KEY: USER}}
        with AtriumServer(config=config) as srv:
            r = self.chat(srv, False)
            self.assertEqual(r.status_code, 200, r.text)
            self.assertEqual(r.json()["choices"][0]["message"]["content"], "Echo: over tls")
            r = self.chat(srv, True)
            self.assertEqual(r.status_code, 200)
            self.assertIn("data: [DONE]", r.raw.read().decode())

    def test_an_untrusted_certificate_is_refused(self):
        config = {"llm": {"base_url": f"https://localhost:{self.port}/v1", "models": ["fake-chat"],
                          "max_retries": 0},
                  "security.api_key_users": {KEY: USER}}
        with AtriumServer(config=config) as srv:
            r = self.chat(srv, False)
            self.assertEqual(r.status_code, 503, r.text)
            self.assertEqual(r.json()["error"]["code"], "llm_unavailable")


if __name__ == "__main__":
    unittest.main()
