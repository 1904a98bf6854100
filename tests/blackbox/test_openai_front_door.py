"""The OpenAI-compatible front door: the official `openai` npm client chats through
Atrium against the fake upstream (tests/upstream), streaming and not; what it streamed,
its usage and its cost are stored on the conversation; cancelling mid-stream closes
the upstream connection; every upstream failure kind gives its documented error and
never a half-saved conversation."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

import requests

from harness import AtriumServer

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "..", "upstream", "fake_openai.py")
NODE_SCRIPT = os.path.join(HERE, "node", "openai_chat.cjs")
NODE_MODELS = os.path.join(HERE, "node", "openai_models.cjs")
KEY = "sk-atrium-test-key-0123456789"
USER = "00000000-0000-4000-8000-0000000000a1"
BANNED_KEY = "sk-atrium-banned-key-0123456789"
BANNED_USER = "00000000-0000-4000-8000-0000000000b2"
TIMEOUT = (5, 30)


class Fake:
    def __init__(self, *args):
        self.dir = tempfile.mkdtemp(prefix="atrium-fake-")
        ready = os.path.join(self.dir, "ready.json")
        self.proc = subprocess.Popen(["/usr/bin/python3", FAKE, "--port", "0", "--ready-file", ready] + list(args),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while not os.path.exists(ready):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("fake upstream did not start")
            time.sleep(0.02)
        with open(ready) as f:
            self.port = json.load(f)["port"]
        self.base = f"http://127.0.0.1:{self.port}/v1"

    def stats(self):
        return requests.get(f"http://127.0.0.1:{self.port}/__fake/stats", timeout=TIMEOUT).json()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


FAILURES = ("refuse", "hang", "cut", "429", "500")


class FrontDoorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fakes = {"main": Fake(), "slow": Fake("--models", "slow-chat", "--token-delay-ms", "40")}
        for kind in FAILURES:
            cls.fakes[kind] = Fake("--models", f"fail-{kind}", "--fail", kind, "--cut-after", "2")
        config = {
            "llm": {"base_url": cls.fakes["main"].base, "model": "fake-chat"},
            "llm.pricing": {"fake-chat": "1.5 2.5"},
            "security.api_key_users": {KEY: USER, BANNED_KEY: BANNED_USER},
            "llm.upstreams.slow": {"base_url": cls.fakes["slow"].base, "models": ["slow-chat"]},
            "llm.upstreams.slash": {"base_url": cls.fakes["main"].base, "models": ["anthropic/claude-3"]},
        }
        for kind in FAILURES:
            config[f"llm.upstreams.f{kind}"] = {
                "base_url": cls.fakes[kind].base, "models": [f"fail-{kind}"], "max_retries": 1,
                "retry_backoff_ms": 50, "first_token_timeout_ms": 1500, "idle_timeout_ms": 1500}
        cls.server = AtriumServer(config=config)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        log = cls.server.log()
        cls.server.cleanup()
        for fake in cls.fakes.values():
            fake.stop()
        if "ERROR: AddressSanitizer" in log or "runtime error:" in log:
            raise AssertionError("sanitizer report in server log:\n" + log)
        if code != 0:
            raise AssertionError(f"atrium exited with {code}:\n{log}")

    # ------------------------------------------------------------ helpers

    def url(self, path):
        return self.server.url("openai", path)

    def post(self, path, body, key=KEY, **kw):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return requests.post(self.url(path), json=body, headers=headers, timeout=TIMEOUT, **kw)

    def counts(self):
        sql = self.server.sql
        return (sql("SELECT COUNT(*) FROM conversations")[0][0], sql("SELECT COUNT(*) FROM messages")[0][0],
                sql("SELECT tokens_used FROM users WHERE id = ?", (USER,))[0][0])

    def assert_error(self, r, status, code, type_=None, param=None):
        self.assertEqual(r.status_code, status, r.text)
        err = r.json()["error"]
        self.assertEqual(sorted(err), ["code", "message", "param", "type"])
        self.assertEqual(err["code"], code, r.text)
        if type_:
            self.assertEqual(err["type"], type_)
        self.assertEqual(err["param"], param)
        return err

    # ------------------------------------------------------------ tests

    def test_the_official_client_chats_and_the_turns_are_stored(self):
        before = self.counts()
        r = subprocess.run(["node", NODE_SCRIPT, self.url("/v1"), KEY, "fake-chat", "hello there general"],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        out = json.loads(r.stdout.strip().splitlines()[-1])
        plain, stream = out["plain"], out["stream"]
        # The fake echoes the last user message; a token is a word.
        self.assertEqual(plain["text"], "Echo: hello there general")
        self.assertEqual(plain["object"], "chat.completion")
        self.assertEqual(plain["finish"], "stop")
        self.assertEqual(plain["usage"], {"prompt_tokens": 7, "completion_tokens": 4, "total_tokens": 11})
        self.assertTrue(plain["id"].startswith("chatcmpl-"))
        self.assertEqual(stream["text"], "Echo: hello there general")
        self.assertEqual(stream["finish"], "stop")
        self.assertEqual(stream["usage"], {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7})
        self.assertGreaterEqual(stream["chunks"], 6)  # role, 4 words, finish, usage
        self.assertEqual(out["missing"]["status"], 404)
        self.assertEqual(out["missing"]["code"], "model_not_found")
        self.assertEqual(out["missing"]["param"], "model")
        self.assertIn("fake-chat", out["models"])
        self.assertIn("slow-chat", out["models"])
        self.assertEqual(out["embeddings"]["count"], 2)
        self.assertEqual(out["embeddings"]["dims"], 16)
        self.assertEqual(out["embeddings"]["usage"]["total_tokens"], 3)

        after = self.counts()
        self.assertEqual(after[0] - before[0], 2)  # two conversations (one per call), nothing for the 404
        self.assertEqual(after[1] - before[1], 4)
        self.assertEqual(after[2] - before[2], 11 + 7 + 3)  # chat, stream and embedding tokens
        rows = self.server.sql(
            "SELECT c.id, c.system_prompt, c.total_tokens, c.cost_usd, m.content, m.model, m.prompt_tokens,"
            " m.completion_tokens, m.cost_usd AS mcost, m.generation_ms, m.status"
            " FROM conversations c JOIN messages m ON m.conversation_id = c.id AND m.role = 'assistant'"
            " ORDER BY c.rid DESC LIMIT 2")
        streamed, whole = rows[0], rows[1]
        self.assertEqual(whole["system_prompt"], "You are a test.")
        self.assertEqual(whole["content"], "Echo: hello there general")
        self.assertEqual(whole["total_tokens"], 11)
        self.assertAlmostEqual(whole["cost_usd"], (7 * 1.5 + 4 * 2.5) / 1e6)
        self.assertEqual(streamed["content"], "Echo: hello there general")
        self.assertEqual(streamed["status"], "complete")
        self.assertEqual(streamed["model"], "fake-chat")
        self.assertEqual((streamed["prompt_tokens"], streamed["completion_tokens"]), (3, 4))
        self.assertAlmostEqual(streamed["mcost"], (3 * 1.5 + 4 * 2.5) / 1e6)
        self.assertAlmostEqual(streamed["cost_usd"], streamed["mcost"])
        self.assertGreaterEqual(streamed["generation_ms"], 0)

    def test_the_stream_is_openais_wire_format(self):
        r = self.post("/v1/chat/completions", {"model": "fake-chat", "stream": True,
                                               "messages": [{"role": "user", "content": "a b"}]}, stream=True)
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.headers["Content-Type"].startswith("text/event-stream"))
        self.assertTrue(r.headers["X-Atrium-Conversation-Id"])
        raw = r.raw.read().decode()
        frames = [f for f in raw.split("\n\n") if f.strip()]
        self.assertEqual(frames[-1], "data: [DONE]")
        chunks = [json.loads(f[len("data: "):]) for f in frames[:-1] if not f.startswith(":")]
        self.assertEqual(chunks[0]["choices"][0]["delta"]["role"], "assistant")
        self.assertEqual(chunks[0]["object"], "chat.completion.chunk")
        self.assertNotIn("usage", chunks[0])  # only with stream_options.include_usage
        self.assertEqual("".join(c["choices"][0]["delta"].get("content", "") for c in chunks), "Echo: a b")
        self.assertEqual(chunks[-1]["choices"][0]["finish_reason"], "stop")
        self.assertEqual(len({c["id"] for c in chunks}), 1)

    def test_authentication(self):
        r = self.post("/v1/chat/completions", {"model": "fake-chat", "messages": []}, key=None)
        err = self.assert_error(r, 401, None, "invalid_request_error")
        self.assertIn("You didn't provide an API key", err["message"])
        r = self.post("/v1/chat/completions", {"model": "fake-chat", "messages": []}, key="sk-wrong-key-000000000")
        self.assert_error(r, 401, "invalid_api_key", "invalid_request_error")
        r = requests.get(self.url("/v1/models"), timeout=TIMEOUT)
        self.assertEqual(r.status_code, 401)

    def test_the_official_client_retrieves_models(self):
        r = subprocess.run(["node", NODE_MODELS, self.url("/v1"), KEY, "fake-chat", "anthropic/claude-3",
                            "no-such-model", "anthropic/nope"], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        out = json.loads(r.stdout.strip().splitlines()[-1])
        self.assertEqual(out["fake-chat"], {"id": "fake-chat", "object": "model", "owned_by": "atrium-fake",
                                            "created": "number"})
        self.assertEqual(out["anthropic/claude-3"]["id"], "anthropic/claude-3")
        for missing in ("no-such-model", "anthropic/nope"):
            self.assertEqual(out[missing], {"status": 404, "code": "model_not_found", "type": "invalid_request_error",
                                            "param": None, "error": "NotFoundError"})
        # The slash id sent as is and percent-encoded.
        for path in ("/v1/models/anthropic/claude-3", "/v1/models/anthropic%2Fclaude-3"):
            with self.subTest(path=path):
                r = requests.get(self.url(path), headers={"Authorization": f"Bearer {KEY}"}, timeout=TIMEOUT)
                self.assertEqual(r.status_code, 200, r.text)
                self.assertEqual(sorted(r.json()), ["created", "id", "object", "owned_by"])
                self.assertEqual((r.json()["id"], r.json()["object"]), ("anthropic/claude-3", "model"))
        r = requests.get(self.url("/v1/models/nope"), headers={"Authorization": f"Bearer {KEY}"}, timeout=TIMEOUT)
        err = self.assert_error(r, 404, "model_not_found", "invalid_request_error", None)
        self.assertEqual(err["message"], "The model 'nope' does not exist or you do not have access to it.")
        self.assertEqual(requests.get(self.url("/v1/models/fake-chat"), timeout=TIMEOUT).status_code, 401)

    def test_a_banned_accounts_key_is_forbidden_not_incorrect(self):
        r = requests.get(self.url("/v1/models"), headers={"Authorization": f"Bearer {BANNED_KEY}"}, timeout=TIMEOUT)
        self.assertEqual(r.status_code, 200, r.text)  # not banned yet
        self.server.sql("UPDATE users SET status = 'banned' WHERE id = ?", (BANNED_USER,))
        try:
            for method, path, body in [("GET", "/v1/models", None), ("GET", "/v1/models/fake-chat", None),
                                       ("POST", "/v1/chat/completions",
                                        {"model": "fake-chat", "messages": [{"role": "user", "content": "x"}]})]:
                with self.subTest(path=path):
                    r = requests.request(method, self.url(path), json=body, timeout=TIMEOUT,
                                         headers={"Authorization": f"Bearer {BANNED_KEY}"})
                    err = self.assert_error(r, 403, "account_banned", "request_forbidden", None)
                    self.assertIn("banned", err["message"])
            # An unknown key is still an incorrect one.
            r = self.post("/v1/chat/completions", {"model": "fake-chat", "messages": []}, key="sk-unknown-key-00000")
            self.assert_error(r, 401, "invalid_api_key", "invalid_request_error")
        finally:
            self.server.sql("UPDATE users SET status = 'active' WHERE id = ?", (BANNED_USER,))

    def test_a_wrong_type_is_invalid_type(self):
        ok = {"model": "fake-chat", "messages": [{"role": "user", "content": "x"}]}
        cases = [(dict(ok, n="1"), "n"), (dict(ok, n=1.5), "n"), (dict(ok, max_tokens="9"), "max_tokens"),
                 (dict(ok, stop=5), "stop"), (dict(ok, messages="hi"), "messages"), (dict(ok, model=5), "model"),
                 (dict(ok, stream="yes"), "stream")]
        for body, param in cases:
            with self.subTest(body=body):
                err = self.assert_error(self.post("/v1/chat/completions", body), 400, "invalid_type",
                                        "invalid_request_error", param)
                self.assertRegex(err["message"], r"^Invalid type for '%s': expected .+, but got .+ instead\.$" % param)
        err = self.assert_error(self.post("/v1/chat/completions", dict(ok, n=2)), 400, "invalid_value",
                                "invalid_request_error", "n")
        for body, param in [({"model": "fake-embed", "input": 5}, "input"),
                            ({"model": "fake-embed", "input": "x", "dimensions": "8"}, "dimensions"),
                            ({"model": "fake-embed", "input": "x", "encoding_format": 1}, "encoding_format")]:
            with self.subTest(body=body):
                self.assert_error(self.post("/v1/embeddings", body), 400, "invalid_type", "invalid_request_error",
                                  param)

    def test_invalid_requests_name_the_parameter(self):
        cases = [
            ({"messages": [{"role": "user", "content": "x"}]}, "model", None),
            ({"model": "fake-chat"}, "messages", "missing_required_parameter"),
            ({"model": "fake-chat", "messages": [{"role": "user", "content": "x"}], "temperature": 3},
             "temperature", "decimal_above_max_value"),
            ({"model": "fake-chat", "messages": [{"role": "user", "content": "x"}], "temperature": "hot"},
             "temperature", "invalid_type"),
            ({"model": "fake-chat", "messages": [{"role": "user", "content": "x"}], "max_tokens": 0},
             "max_tokens", "integer_below_min_value"),
            ({"model": "fake-chat", "messages": [{"role": "wizard", "content": "x"}]}, "messages[0].role",
             "invalid_value"),
            ({"model": "fake-chat", "messages": [{"role": "user", "content": "x"}], "stream_options": {}},
             "stream_options", "invalid_value"),
        ]
        before = self.counts()
        for body, param, code in cases:
            with self.subTest(param=param):
                self.assert_error(self.post("/v1/chat/completions", body), 400, code, "invalid_request_error", param)
        r = requests.post(self.url("/v1/chat/completions"), data="{nope", timeout=TIMEOUT,
                          headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["error"]["type"], "invalid_request_error")
        self.assertEqual(self.counts(), before)

    def test_each_upstream_failure_gives_its_error_and_stores_nothing(self):
        expected = {  # (status, code) for a plain call and for a stream that fails before its first token
            "refuse": (503, "llm_unavailable"),
            "hang": (503, "llm_unavailable"),
            "cut": (503, "llm_unavailable"),
            "429": (429, "rate_limit_exceeded"),
            "500": (503, "llm_unavailable"),
        }
        for kind, (status, code) in expected.items():
            for stream in (False, True):
                with self.subTest(kind=kind, stream=stream):
                    before = self.counts()
                    r = self.post("/v1/chat/completions", {
                        "model": f"fail-{kind}", "stream": stream,
                        "messages": [{"role": "user", "content": "one two three four five"}]}, stream=stream)
                    if kind == "cut" and stream:
                        # Tokens were relayed before the cut: the stream ends with an error, no [DONE].
                        self.assertEqual(r.status_code, 200)
                        raw = r.raw.read().decode()
                        frames = [f for f in raw.split("\n\n") if f.startswith("data: ")]
                        self.assertNotIn("data: [DONE]", frames)
                        last = json.loads(frames[-1][len("data: "):])
                        self.assertEqual(last["error"]["code"], "llm_unavailable")
                        self.assertEqual(last["error"]["type"], "server_error")
                        text = "".join(json.loads(f[6:])["choices"][0]["delta"].get("content", "")
                                       for f in frames[:-1])
                        self.assertEqual(text, "Echo: one")  # the role delta and two tokens
                    else:
                        self.assert_error(r, status, code, "requests" if status == 429 else "server_error")
                    self.assertEqual(self.counts(), before)
        # Retries happened before the first token only: 2 attempts each for refuse/429/500.
        for kind in ("refuse", "429", "500"):
            seen = [q for q in self.fakes[kind].stats()["recent_requests"] if q["path"] == "/v1/chat/completions"]
            self.assertEqual(len(seen), 4, kind)  # (plain + stream) x 2 attempts
        deadline = time.monotonic() + 3
        while True:  # the fake notices a closed connection within its 10 ms poll
            hang = self.fakes["hang"].stats()
            if hang["hangs_disconnected"] == hang["hangs_started"] or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        self.assertEqual(hang["hangs_started"], 4)
        self.assertEqual(hang["hangs_disconnected"], hang["hangs_started"])

    def test_cancelling_mid_stream_closes_the_upstream_connection(self):
        slow = self.fakes["slow"]
        message = " ".join(f"w{i}" for i in range(200))  # 201 tokens at 40 ms: 8 s if not stopped
        s = socket.create_connection(("127.0.0.1", self.server.port("openai")), timeout=10)
        body = json.dumps({"model": "slow-chat", "stream": True, "messages": [{"role": "user", "content": message}]})
        s.sendall((f"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n"
                   f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode())
        seen = b""
        while seen.count(b"\"content\":\"") < 4:  # the role delta and three tokens
            chunk = s.recv(65536)
            self.assertTrue(chunk, seen)
            seen += chunk
        closed_at = time.time()
        s.close()
        deadline = time.monotonic() + 5
        disconnects = []
        while time.monotonic() < deadline:
            disconnects = [d for d in slow.stats()["disconnects"] if d["kind"] == "stream"]
            if disconnects:
                break
            time.sleep(0.01)
        self.assertEqual(len(disconnects), 1, "the upstream never saw the disconnect")
        delay_ms = (disconnects[0]["at"] - closed_at) * 1000
        print(f"\n[measure] client close -> upstream disconnect: {delay_ms:.1f} ms "
              f"(tokens sent {disconnects[0]['tokens_sent']})")
        # The partial answer is stored once, marked cancelled.
        deadline = time.monotonic() + 5
        row = None
        while time.monotonic() < deadline and row is None:
            rows = self.server.sql("SELECT content, status FROM messages WHERE role = 'assistant' AND "
                                   "conversation_id IN (SELECT id FROM conversations WHERE model = 'slow-chat')")
            row = rows[0] if rows else None
            time.sleep(0.02)
        self.assertIsNotNone(row)
        self.assertEqual(row["status"], "cancelled")
        self.assertTrue(row["content"].startswith("Echo: w0 w1"), row["content"])
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM messages WHERE status = 'cancelled'")[0][0], 1)

    def test_the_users_token_limit_is_enforced(self):
        used = self.server.sql("SELECT tokens_used FROM users WHERE id = ?", (USER,))[0][0]
        self.server.sql("UPDATE users SET tokens_limit = ? WHERE id = ?", (used, USER))
        try:
            before = self.counts()
            r = self.post("/v1/chat/completions", {"model": "fake-chat", "messages": [{"role": "user", "content": "x"}]})
            self.assert_error(r, 429, "insufficient_quota", "insufficient_quota")
            self.assertEqual(self.counts(), before)
        finally:
            self.server.sql("UPDATE users SET tokens_limit = -1 WHERE id = ?", (USER,))


class NoUpstreamTest(unittest.TestCase):
    def test_without_an_upstream_chat_is_unavailable_never_invented(self):
        with AtriumServer(config={"security.api_key_users": {KEY: USER}}) as srv:
            headers = {"Authorization": f"Bearer {KEY}"}
            for stream in (False, True):
                r = requests.post(srv.url("openai", "/v1/chat/completions"), headers=headers, timeout=TIMEOUT,
                                  json={"model": "any", "stream": stream, "messages": [{"role": "user", "content": "hi"}]})
                self.assertEqual(r.status_code, 503, r.text)
                self.assertEqual(r.json()["error"]["code"], "llm_unavailable")
                self.assertEqual(r.json()["error"]["type"], "server_error")
            r = requests.get(srv.url("openai", "/v1/models"), headers=headers, timeout=TIMEOUT)
            self.assertEqual(r.status_code, 503)

    def test_the_front_door_can_be_disabled(self):
        with AtriumServer(config={"dialects.openai": {"enabled": False}}) as srv:
            self.assertNotIn("openai", srv.ports)


if __name__ == "__main__":
    unittest.main()
