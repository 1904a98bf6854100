"""The fake OpenAI-compatible upstream (tests/upstream/fake_openai.py) as a running
process for black-box tests: started on a free port, stopped at the end."""

import json
import os
import subprocess
import tempfile
import time

import requests

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "upstream", "fake_openai.py")


class FakeUpstream:
    def __init__(self, *args):
        self.dir = tempfile.mkdtemp(prefix="atrium-fake-")
        ready = os.path.join(self.dir, "ready.json")
        self.proc = subprocess.Popen(["/usr/bin/python3", FAKE, "--port", "0", "--ready-file", ready] + list(args),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not os.path.exists(ready):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the fake upstream did not start")
            time.sleep(0.02)
        with open(ready) as f:
            self.port = json.load(f)["port"]
        self.url = f"http://127.0.0.1:{self.port}"
        self.base = self.url + "/v1"

    def stats(self):
        return requests.get(self.url + "/__fake/stats", timeout=10).json()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
