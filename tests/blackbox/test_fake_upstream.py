"""The fake OpenAI-compatible upstream (tests/upstream/fake_openai.py) speaks the protocol
faithfully and injects failures on request. Needs no atrium binary: it drives the fake
directly with python3-requests and a small server-sent-events parser."""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "..", "upstream", "fake_openai.py")
PYTHON = "/usr/bin/python3"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TIMEOUT = (5, 10)  # connect, read: every plain request is bounded


class Fake:
    """One fake_openai.py process on a free 127.0.0.1 port."""

    def __init__(self, *args):
        self.dir = tempfile.mkdtemp(prefix="fake-upstream-")
        ready = os.path.join(self.dir, "ready.json")
        self.stderr = open(os.path.join(self.dir, "stderr.log"), "w+")
        self.proc = subprocess.Popen(
            [PYTHON, FAKE, "--port", "0", "--ready-file", ready] + list(args),
            stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.monotonic() + 10
        while not os.path.exists(ready):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("fake upstream did not start: " + self.log())
            time.sleep(0.02)
        with open(ready) as f:
            self.port = json.load(f)["port"]
        self.base = "http://127.0.0.1:%d" % self.port

    def url(self, path):
        return self.base + path

    def log(self):
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read()

    def stats(self):
        r = requests.get(self.url("/__fake/stats"), timeout=TIMEOUT)
        r.raise_for_status()
        return r.json()

    def wait_stats(self, pred, bound=1.0):
        """Polls /__fake/stats until pred(stats) holds or `bound` seconds pass."""
        deadline = time.monotonic() + bound
        while True:
            s = self.stats()
            if pred(s) or time.monotonic() > deadline:
                return s
            time.sleep(0.02)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return self.proc.returncode


def sse_events(resp):
    """Yields the data of each server-sent event of a streamed requests response."""
    data = []
    for line in resp.iter_lines(chunk_size=1):
        line = line.decode("utf-8")
        if line == "":
            if data:
                yield "\n".join(data)
                data = []
        elif line.startswith(":"):
            continue
        elif line.startswith("data:"):
            data.append(line[5:][1:] if line[5:].startswith(" ") else line[5:])
    if data:
        yield "\n".join(data)


def chat(text="hello big world", **extra):
    body = {"model": "fake-chat", "messages": [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": text}]}
    body.update(extra)
    return body


class FakeUpstreamTest(unittest.TestCase):
    def setUp(self):
        self.fake = self.start()

    def start(self, *args):
        fake = Fake(*args)
        self.addCleanup(self.stopped_cleanly, fake)
        return fake

    def stopped_cleanly(self, fake):
        log = fake.log() if not fake.stderr.closed else ""
        code = fake.stop()
        self.assertEqual(code, 0, log)
        self.assertNotIn("Traceback", log)

    def post(self, path, body=None, headers=None, fake=None, **kw):
        fake = fake or self.fake
        kw.setdefault("timeout", TIMEOUT)
        return requests.post(fake.url(path), json=body, headers=headers or {}, **kw)

    def assertError(self, r, status, code=None, param=None):
        self.assertEqual(r.status_code, status, r.text)
        self.assertTrue(r.headers["Content-Type"].startswith("application/json"))
        body = r.json()
        self.assertEqual(set(body), {"error"})
        self.assertEqual(set(body["error"]), {"message", "type", "param", "code"})
        self.assertIsInstance(body["error"]["message"], str)
        self.assertTrue(body["error"]["message"])
        self.assertEqual(body["error"]["code"], code)
        if param is not None:
            self.assertEqual(body["error"]["param"], param)
        return body["error"]

    def stream(self, body, headers=None, fake=None):
        return self.post("/v1/chat/completions", dict(body, stream=True), headers,
                         fake=fake, stream=True)

    # ------------------------------------------------------------ plain protocol

    def test_models_list(self):
        r = requests.get(self.fake.url("/v1/models"), timeout=TIMEOUT)
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(set(body), {"object", "data"})
        self.assertEqual(body["object"], "list")
        self.assertEqual([m["id"] for m in body["data"]], ["fake-chat", "fake-embed", "fake-image"])
        for m in body["data"]:
            self.assertEqual(set(m), {"id", "object", "created", "owned_by"})
            self.assertEqual(m["object"], "model")
            self.assertIsInstance(m["created"], int)
            self.assertIsInstance(m["owned_by"], str)

    def test_models_flag(self):
        fake = self.start("--models", "a, b")
        r = requests.get(fake.url("/v1/models"), timeout=TIMEOUT)
        self.assertEqual([m["id"] for m in r.json()["data"]], ["a", "b"])

    def test_completion_shape_and_determinism(self):
        r = self.post("/v1/chat/completions", chat())
        self.assertEqual(r.status_code, 200, r.text)
        self.assertTrue(r.headers["Content-Type"].startswith("application/json"))
        body = r.json()
        self.assertEqual(set(body) - {"system_fingerprint"},
                         {"id", "object", "created", "model", "choices", "usage"})
        self.assertTrue(body["id"].startswith("chatcmpl-"))
        self.assertEqual(body["object"], "chat.completion")
        self.assertIsInstance(body["created"], int)
        self.assertEqual(body["model"], "fake-chat")
        self.assertEqual(len(body["choices"]), 1)
        choice = body["choices"][0]
        self.assertEqual(set(choice) - {"logprobs"}, {"index", "message", "finish_reason"})
        self.assertEqual(choice["index"], 0)
        self.assertEqual(choice["message"], {"role": "assistant",
                                             "content": "Echo: hello big world"})
        self.assertEqual(choice["finish_reason"], "stop")
        # prompt: "be brief" (2) + "hello big world" (3); reply: 4 words.
        self.assertEqual(body["usage"], {"prompt_tokens": 5, "completion_tokens": 4,
                                         "total_tokens": 9})
        again = self.post("/v1/chat/completions", chat()).json()
        self.assertEqual(again["choices"], body["choices"])
        self.assertEqual(again["usage"], body["usage"])
        self.assertNotEqual(again["id"], body["id"])

    def test_completion_uses_last_user_message_and_content_parts(self):
        body = {"model": "fake-chat", "messages": [
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "Echo: first"},
            {"role": "user", "content": [{"type": "text", "text": "second  question"}]}]}
        r = self.post("/v1/chat/completions", body).json()
        self.assertEqual(r["choices"][0]["message"]["content"], "Echo: second question")
        self.assertEqual(r["usage"]["prompt_tokens"], 1 + 2 + 2)

    def test_max_tokens_truncates_with_length(self):
        for key in ("max_tokens", "max_completion_tokens"):
            r = self.post("/v1/chat/completions", chat("one two three four", **{key: 3}))
            self.assertEqual(r.status_code, 200, r.text)
            body = r.json()
            self.assertEqual(body["choices"][0]["message"]["content"], "Echo: one two")
            self.assertEqual(body["choices"][0]["finish_reason"], "length")
            self.assertEqual(body["usage"]["completion_tokens"], 3)
        r = self.post("/v1/chat/completions", chat("one", max_tokens=3)).json()
        self.assertEqual(r["choices"][0]["finish_reason"], "stop")

    def test_streaming_frames_in_order(self):
        with self.stream(chat(max_tokens=3)) as r:
            self.assertEqual(r.status_code, 200)
            self.assertTrue(r.headers["Content-Type"].startswith("text/event-stream"))
            events = list(sse_events(r))
        self.assertEqual(events[-1], "[DONE]")
        chunks = [json.loads(e) for e in events[:-1]]
        self.assertEqual(len(chunks), 1 + 3 + 1)
        ids = {c["id"] for c in chunks}
        self.assertEqual(len(ids), 1)
        self.assertTrue(ids.pop().startswith("chatcmpl-"))
        for c in chunks:
            self.assertEqual(c["object"], "chat.completion.chunk")
            self.assertEqual(c["model"], "fake-chat")
            self.assertNotIn("usage", c)
            self.assertEqual(len(c["choices"]), 1)
            self.assertEqual(c["choices"][0]["index"], 0)
        self.assertEqual(chunks[0]["choices"][0]["delta"], {"role": "assistant", "content": ""})
        deltas = [c["choices"][0]["delta"]["content"] for c in chunks[1:4]]
        self.assertEqual(deltas, ["Echo:", " hello", " big"])
        for c in chunks[:4]:
            self.assertIsNone(c["choices"][0]["finish_reason"])
        self.assertEqual(chunks[4]["choices"][0]["delta"], {})
        self.assertEqual(chunks[4]["choices"][0]["finish_reason"], "length")
        s = self.fake.stats()
        self.assertEqual((s["streams_started"], s["streams_completed"],
                          s["streams_disconnected"]), (1, 1, 0))

    def test_streaming_usage_chunk(self):
        body = chat(stream_options={"include_usage": True})
        with self.stream(body) as r:
            events = list(sse_events(r))
        self.assertEqual(events[-1], "[DONE]")
        chunks = [json.loads(e) for e in events[:-1]]
        usage = chunks[-1]
        self.assertEqual(usage["choices"], [])
        self.assertEqual(usage["usage"], {"prompt_tokens": 5, "completion_tokens": 4,
                                          "total_tokens": 9})
        for c in chunks[:-1]:
            self.assertIn("usage", c)
            self.assertIsNone(c["usage"])
        self.assertEqual(chunks[-2]["choices"][0]["finish_reason"], "stop")
        text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks[:-1])
        plain = self.post("/v1/chat/completions", chat()).json()
        self.assertEqual(text, plain["choices"][0]["message"]["content"])

    def test_embeddings(self):
        r = self.post("/v1/embeddings", {"model": "fake-embed", "input": ["a b", "c"]})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(set(body), {"object", "data", "model", "usage"})
        self.assertEqual(body["object"], "list")
        self.assertEqual(body["model"], "fake-embed")
        self.assertEqual(body["usage"], {"prompt_tokens": 3, "total_tokens": 3})
        self.assertEqual([d["index"] for d in body["data"]], [0, 1])
        for d in body["data"]:
            self.assertEqual(set(d), {"object", "index", "embedding"})
            self.assertEqual(d["object"], "embedding")
            self.assertEqual(len(d["embedding"]), 16)
            self.assertTrue(all(isinstance(x, float) for x in d["embedding"]))
            self.assertAlmostEqual(sum(x * x for x in d["embedding"]), 1.0, places=4)
        self.assertNotEqual(body["data"][0]["embedding"], body["data"][1]["embedding"])
        single = self.post("/v1/embeddings", {"model": "fake-embed", "input": "c"}).json()
        self.assertEqual(len(single["data"]), 1)
        self.assertEqual(single["data"][0]["embedding"], body["data"][1]["embedding"])
        again = self.post("/v1/embeddings", {"model": "fake-embed", "input": ["a b", "c"]})
        self.assertEqual(again.json()["data"], body["data"])
        self.assertError(self.post("/v1/embeddings", {"model": "fake-embed"}), 400,
                         "missing_required_parameter", "input")

    def test_image_generation(self):
        r = self.post("/v1/images/generations", {"model": "fake-image", "prompt": "a cat"})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(set(body), {"created", "data"})
        self.assertIsInstance(body["created"], int)
        self.assertEqual(len(body["data"]), 1)
        self.assertEqual(set(body["data"][0]), {"b64_json"})
        png = base64.b64decode(body["data"][0]["b64_json"])
        self.assertEqual(png[:8], PNG_SIGNATURE)
        again = self.post("/v1/images/generations", {"model": "fake-image", "prompt": "a cat"})
        self.assertEqual(again.json()["data"], body["data"])
        other = self.post("/v1/images/generations", {"model": "fake-image", "prompt": "a dog"})
        self.assertNotEqual(other.json()["data"], body["data"])

        r = self.post("/v1/images/generations",
                      {"prompt": "a cat", "n": 2, "response_format": "url"})
        self.assertEqual(r.status_code, 200, r.text)
        data = r.json()["data"]
        self.assertEqual(len(data), 2)
        self.assertEqual(set(data[0]), {"url"})
        self.assertTrue(data[0]["url"].startswith(self.fake.base + "/"))
        img = requests.get(data[0]["url"], timeout=TIMEOUT)
        self.assertEqual(img.status_code, 200)
        self.assertEqual(img.headers["Content-Type"], "image/png")
        self.assertEqual(img.content, png)

    # ------------------------------------------------------------ errors

    def test_validation_errors(self):
        r = requests.post(self.fake.url("/v1/chat/completions"), data=b"{not json",
                          headers={"Content-Type": "application/json"}, timeout=TIMEOUT)
        self.assertError(r, 400)
        self.assertError(self.post("/v1/chat/completions",
                                   {"messages": [{"role": "user", "content": "x"}]}),
                         400, None, "model")
        self.assertError(self.post("/v1/chat/completions", {"model": "fake-chat"}),
                         400, "missing_required_parameter", "messages")
        self.assertError(self.post("/v1/chat/completions", chat(max_tokens=0)), 400,
                         "invalid_value", "max_tokens")
        err = self.assertError(self.post("/v1/chat/completions", chat(model="nope")),
                               404, "model_not_found")
        self.assertEqual(err["type"], "invalid_request_error")
        self.assertIn("nope", err["message"])
        self.assertError(requests.get(self.fake.url("/v1/nowhere"), timeout=TIMEOUT), 404)

    def test_api_key_required(self):
        fake = self.start("--api-key", "sk-test")
        url = fake.url("/v1/chat/completions")
        self.assertError(requests.post(url, json=chat(), timeout=TIMEOUT), 401)
        err = self.assertError(
            requests.post(url, json=chat(), headers={"Authorization": "Bearer wrong"},
                          timeout=TIMEOUT), 401, "invalid_api_key")
        self.assertEqual(err["type"], "invalid_request_error")
        self.assertError(requests.get(fake.url("/v1/models"), timeout=TIMEOUT), 401)
        ok = requests.post(url, json=chat(), headers={"Authorization": "Bearer sk-test"},
                           timeout=TIMEOUT)
        self.assertEqual(ok.status_code, 200, ok.text)
        # The observability endpoints stay open.
        self.assertEqual(requests.get(fake.url("/__fake/stats"), timeout=TIMEOUT).status_code,
                         200)

    # ------------------------------------------------------------ failure injection

    def test_fail_refuse(self):
        with self.assertRaises(requests.exceptions.ConnectionError):
            self.post("/v1/chat/completions", chat(), {"X-Fake-Fail": "refuse"})
        self.assertEqual(self.fake.stats()["refused"], 1)
        # The server keeps serving.
        self.assertEqual(self.post("/v1/chat/completions", chat()).status_code, 200)

    def test_fail_hang(self):
        with self.assertRaises(requests.exceptions.ReadTimeout):
            self.post("/v1/chat/completions", chat(), {"X-Fake-Fail": "hang"},
                      timeout=(5, 0.5))
        s = self.fake.wait_stats(lambda s: s["hangs_disconnected"] == 1, bound=2.0)
        self.assertEqual((s["hangs_started"], s["hangs_disconnected"]), (1, 1))

    def test_fail_cut_stream(self):
        events, error = [], None
        try:
            with self.stream(chat("a b c d e f g h"), {"X-Fake-Fail": "cut"}) as r:
                self.assertEqual(r.status_code, 200)
                for e in sse_events(r):
                    events.append(e)
        except (requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ConnectionError) as e:
            error = e
        self.assertIsNotNone(error, "a cut stream must end in a transport error")
        self.assertNotIn("[DONE]", events)
        chunks = [json.loads(e) for e in events]
        self.assertEqual(len(chunks), 1 + 2)  # role delta, then --cut-after (2) tokens
        self.assertTrue(all(c["choices"][0]["finish_reason"] is None for c in chunks))
        s = self.fake.stats()
        self.assertEqual((s["streams_cut"], s["streams_completed"], s["streams_disconnected"]),
                         (1, 0, 0))

    def test_fail_cut_plain(self):
        # Content-Length announces the whole body, half of it arrives, then the
        # connection closes. (Debian's urllib3 1.26 does not enforce Content-Length,
        # so requests may hand back the short body instead of raising.)
        try:
            r = self.post("/v1/chat/completions", chat(), {"X-Fake-Fail": "cut"})
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError):
            return
        self.assertEqual(r.status_code, 200)
        self.assertLess(len(r.content), int(r.headers["Content-Length"]))
        with self.assertRaises(ValueError):
            json.loads(r.content)

    def test_fail_429(self):
        r = self.post("/v1/chat/completions", chat(), {"X-Fake-Fail": "429"})
        err = self.assertError(r, 429, "rate_limit_exceeded")
        self.assertEqual(r.headers["Retry-After"], "1")
        self.assertEqual(err["type"], "requests")
        r = self.post("/v1/embeddings", {"model": "fake-embed", "input": "x"},
                      {"X-Fake-Fail": "429", "X-Fake-Retry-After": "7"})
        self.assertError(r, 429, "rate_limit_exceeded")
        self.assertEqual(r.headers["Retry-After"], "7")

    def test_fail_500(self):
        r = self.post("/v1/chat/completions", chat(), {"X-Fake-Fail": "500"})
        err = self.assertError(r, 500)
        self.assertEqual(err["type"], "server_error")

    def test_fail_default_from_cli(self):
        fake = self.start("--fail", "500")
        self.assertError(self.post("/v1/chat/completions", chat(), fake=fake), 500)
        ok = self.post("/v1/chat/completions", chat(), {"X-Fake-Fail": "none"}, fake=fake)
        self.assertEqual(ok.status_code, 200)
        self.assertError(self.post("/v1/chat/completions", chat(), {"X-Fake-Fail": "bogus"}),
                         400)

    def rules_file(self, rules):
        path = os.path.join(self.fake.dir, "rules-%d.json" % len(os.listdir(self.fake.dir)))
        with open(path, "w") as f:
            f.write(rules if isinstance(rules, str) else json.dumps(rules))
        return path

    def test_reply_rules(self):
        fake = self.start("--reply-rules", self.rules_file([
            {"system_contains": "facts worth", "user_contains": "nothing", "reply": '{"facts": []}'},
            {"system_contains": "facts worth", "user_regex": r"said:\n(.*)", "escape": "json",
             "reply": '{"facts": [{"text": "{{1}}"}]}'},
            {"user_contains": "raw", "reply": "You wrote: {{user}} ({{2}})"},
        ]))

        def ask(system, user, stream=False):
            body = {"model": "fake-chat", "messages": [{"role": "system", "content": system},
                                                       {"role": "user", "content": user}]}
            if not stream:
                return self.post("/v1/chat/completions", body, fake=fake).json()["choices"][0]["message"]["content"]
            r = self.stream(body, fake=fake)
            text = ""
            for data in sse_events(r):
                if data != "[DONE]":
                    for c in json.loads(data)["choices"]:
                        text += c["delta"].get("content") or ""
            return text

        prompt = "Pick out facts worth keeping."
        self.assertEqual(ask(prompt, "The user said:\nnothing to see"), '{"facts": []}')
        # The capture is inserted JSON-escaped; a reply's words are joined by single spaces.
        self.assertEqual(json.loads(ask(prompt, 'The user said:\nI am "Ann"')), {"facts": [{"text": 'I am "Ann"'}]})
        self.assertEqual(ask(prompt, 'The user said:\nI am "Ann"', stream=True),
                         ask(prompt, 'The user said:\nI am "Ann"'))
        # Conditions that do not hold fall through; a missing group is empty.
        self.assertEqual(ask("be brief", "raw  text"), "You wrote: raw text ()")
        # No rule matches: the echo answers as always.
        self.assertEqual(ask(prompt, "hello there"), "Echo: hello there")
        self.assertEqual(ask("be brief", "hello there"), "Echo: hello there")

    def test_bad_reply_rules_stop_the_fake(self):
        for rules, message in (("not json", "Expecting value"), ('{"reply": "x"}', "expected a JSON list"),
                               ('[{"text": "x"}]', 'rule 0: expected an object with a string "reply"'),
                               ('[{"reply": "x", "escape": "xml"}]', "rule 0: escape must be"),
                               ('[{"reply": "x", "system": "y"}]', "rule 0: unknown field(s) system")):
            proc = subprocess.run([PYTHON, FAKE, "--port", "0", "--reply-rules", self.rules_file(rules)],
                                  capture_output=True, text=True, timeout=20)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn(message, proc.stderr)

    # ------------------------------------------------------------ observability

    def test_recent_requests_and_reset(self):
        sent = chat("look at me", temperature=0.5)
        self.post("/v1/chat/completions", sent, {"Authorization": "Bearer abc"})
        s = self.fake.stats()
        self.assertEqual(s["requests"], 1)
        last = s["recent_requests"][-1]
        self.assertEqual((last["method"], last["path"]), ("POST", "/v1/chat/completions"))
        self.assertEqual(last["body"], sent)
        self.assertEqual(last["headers"].get("Authorization"), "Bearer abc")
        r = requests.post(self.fake.url("/__fake/reset"), timeout=TIMEOUT)
        self.assertEqual(r.status_code, 200)
        s = self.fake.stats()
        self.assertEqual((s["requests"], s["recent_requests"], s["disconnects"]), (0, [], []))

    def test_client_disconnect_is_counted_promptly(self):
        text = " ".join("w%d" % i for i in range(50))  # ~10 s of tokens at 200 ms each
        r = self.stream(chat(text), {"X-Fake-Token-Delay-Ms": "200"})
        tokens = 0
        for e in sse_events(r):
            delta = json.loads(e)["choices"][0]["delta"]
            if delta.get("content"):
                tokens += 1
                if tokens == 2:
                    break
        r.close()
        closed_at = time.time()
        s = self.fake.wait_stats(lambda s: s["streams_disconnected"] == 1, bound=1.0)
        self.assertEqual(s["streams_disconnected"], 1, s)
        self.assertEqual((s["streams_started"], s["streams_completed"]), (1, 0))
        d = s["disconnects"][-1]
        self.assertEqual(d["kind"], "stream")
        self.assertEqual(d["path"], "/v1/chat/completions")
        self.assertIn(d["tokens_sent"], (2, 3))
        self.assertLess(d["at"] - closed_at, 1.0)


if __name__ == "__main__":
    unittest.main()
