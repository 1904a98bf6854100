"""Secondbrain chat and conversations, end to end (second-brain-api.md, "Chat &
Conversation" and "WebSocket Events") against the fake upstream: POST /api/chat with
the user's memories given to the model and named in retrievedContext, the
conversation list with the spec's pagination, details with message metadata, delete,
404 for another user's conversation, 503 LLM_ERROR without an upstream, and the
Socket.IO chat:message stream (chat:thinking, chat:response chunks, the final
chat:response) on every socket of the user and on nobody else's, with typing
indicators to the user's other sockets."""

import re
import threading
import time
import unittest

from fake_upstream import FakeUpstream
from harness import AtriumServer
from secondbrain_client import SecondbrainUser, error_of

RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


class SecondbrainChatTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeUpstream("--models", "fake-chat,fake-chat-2")
        cls.srv = AtriumServer(config={
            "security": {"trusted_proxies": ["127.0.0.1"]},
            "llm": {"base_url": cls.fake.base, "model": "fake-chat"},
        }).start()
        cls.offline = AtriumServer(config={"security": {"trusted_proxies": ["127.0.0.1"]},
                                           "speech.stt": {"engine": "off"}}).start()

    @classmethod
    def tearDownClass(cls):
        for srv in (cls.srv, cls.offline):
            code = srv.stop()
            log = srv.log()
            srv.cleanup()
            assert code == 0, code
            assert "ERROR: AddressSanitizer" not in log and "runtime error:" not in log, log
        cls.fake.stop()

    def chat_request_for(self, content):
        """The newest chat completion the fake saw that answers `content` (not a title job's)."""
        for r in reversed(self.fake.stats()["recent_requests"]):
            body = r.get("body") or {}
            if r["path"] != "/v1/chat/completions" or not body.get("messages"):
                continue
            if any(m["role"] == "system" and "short title" in m["content"] for m in body["messages"]):
                continue
            if body["messages"][-1]["content"] == content:
                return body
        self.fail(f"no chat request for {content!r}")

    def test_chat_answers_with_the_spec_fields_and_uses_memories(self):
        ann = SecondbrainUser(self.srv)
        mem = ann.post("/memory/save", json={"content": "User's dog is called Biscuit", "importance": 0.9}).json()
        r = ann.post("/chat", json={"message": "What is my dog called?", "temperature": 0.2, "maxTokens": 64})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.headers["X-RateLimit-Limit"], "100")
        body = r.json()
        self.assertEqual(set(body), {"messageId", "conversationId", "text", "metadata", "timestamp"})
        self.assertEqual(body["text"], "Echo: What is my dog called?")
        meta = body["metadata"]
        self.assertEqual(meta["model"], "fake-chat")
        self.assertEqual(meta["tokensUsed"], self.fake_tokens(self.chat_request_for("What is my dog called?"), body["text"]))
        self.assertIsInstance(meta["inferenceTime"], int)
        self.assertEqual(meta["retrievedContext"], [mem["memory"]["id"]])
        self.assertRegex(body["timestamp"], RFC3339_MS)
        sent = self.chat_request_for("What is my dog called?")
        self.assertEqual(sent["temperature"], 0.2)
        self.assertEqual(sent["max_tokens"], 64)
        system = [m["content"] for m in sent["messages"] if m["role"] == "system"]
        self.assertTrue(any(mem["memory"]["id"] in s and "Biscuit" in s for s in system), sent["messages"])
        self.assertEqual(sent["messages"][-1], {"role": "user", "content": "What is my dog called?"})
        # A message sharing no word with any memory gets no context.
        r = ann.post("/chat", json={"message": "Hello", "conversationId": body["conversationId"]})
        self.assertEqual(r.json()["metadata"]["retrievedContext"], [])
        self.assertEqual(r.json()["conversationId"], body["conversationId"])
        # Defaults from the user's preferences.
        ann.put("/user/preferences", json={"chat": {"temperature": 0.9, "maxTokens": 100}})
        ann.post("/chat", json={"message": "Again"})
        sent = self.chat_request_for("Again")
        self.assertEqual((sent["temperature"], sent["max_tokens"]), (0.9, 100))

    @staticmethod
    def fake_tokens(request, reply):
        prompt = sum(len(m["content"].split()) for m in request["messages"])
        return prompt + len(reply.split())

    def test_conversation_details_list_and_delete(self):
        ann = SecondbrainUser(self.srv)
        first = ann.post("/chat", json={"message": "First conversation"}).json()
        ann.post("/chat", json={"message": "More in the first", "conversationId": first["conversationId"]})
        second = ann.post("/chat", json={"message": "Second conversation"}).json()
        r = ann.get(f"/conversation/{first['conversationId']}")
        self.assertEqual(r.status_code, 200, r.text)
        d = r.json()
        c = d["conversation"]
        self.assertEqual(set(c), {"id", "title", "summary", "tags", "createdAt", "updatedAt"})
        self.assertEqual(c["id"], first["conversationId"])
        # The first message's line, until the background title (the fake echoes it) replaces it.
        self.assertIn("First conversation", c["title"])
        self.assertEqual([m["role"] for m in d["messages"]], ["user", "assistant", "user", "assistant"])
        user_msg, answer = d["messages"][0], d["messages"][1]
        self.assertEqual(set(user_msg), {"id", "role", "content", "timestamp", "metadata"})
        self.assertEqual(user_msg["metadata"], {"voiceInput": False})
        self.assertEqual(answer["id"], first["messageId"])
        self.assertEqual(answer["content"], first["text"])
        self.assertEqual(set(answer["metadata"]) >= {"tokensUsed", "inferenceTime", "model"}, True)

        # By creation, newest first (updatedAt also moves when a background title lands).
        listing = ann.get("/conversations", params={"sortBy": "createdAt"}).json()
        self.assertEqual([x["id"] for x in listing["conversations"]], [second["conversationId"], first["conversationId"]])
        self.assertEqual(len(ann.get("/conversations").json()["conversations"]), 2)
        self.assertEqual(listing["pagination"], {"total": 2, "page": 1, "limit": 20, "totalPages": 1, "hasNext": False,
                                                 "hasPrev": False})
        item = listing["conversations"][1]
        self.assertEqual(set(item), {"id", "title", "summary", "messageCount", "tags", "createdAt", "updatedAt"})
        self.assertEqual(item["messageCount"], 4)
        asc = ann.get("/conversations", params={"sortBy": "createdAt", "order": "asc", "limit": 1, "page": 2}).json()
        self.assertEqual([x["id"] for x in asc["conversations"]], [second["conversationId"]])
        self.assertEqual(asc["pagination"]["hasPrev"], True)
        self.assertEqual(asc["pagination"]["hasNext"], False)
        for params, field in (({"sortBy": "size"}, "sortBy"), ({"order": "up"}, "order"), ({"page": "0"}, "page"),
                              ({"limit": "101"}, "limit")):
            r = ann.get("/conversations", params=params)
            self.assertEqual(error_of(self, r, 400, "VALIDATION_ERROR")["details"]["field"], field)

        r = ann.delete(f"/conversation/{first['conversationId']}")
        self.assertEqual(r.json(), {"message": "Conversation deleted successfully", "deletedId": first["conversationId"]})
        error_of(self, ann.get(f"/conversation/{first['conversationId']}"), 404, "NOT_FOUND")
        error_of(self, ann.delete(f"/conversation/{first['conversationId']}"), 404, "NOT_FOUND")
        self.assertEqual(ann.get("/conversations").json()["pagination"]["total"], 1)

    def test_another_users_conversation_is_not_found(self):
        ann, bob = SecondbrainUser(self.srv), SecondbrainUser(self.srv)
        c = ann.post("/chat", json={"message": "Private"}).json()["conversationId"]
        error_of(self, bob.get(f"/conversation/{c}"), 404, "NOT_FOUND")
        error_of(self, bob.delete(f"/conversation/{c}"), 404, "NOT_FOUND")
        error_of(self, bob.post("/chat", json={"message": "Intrude", "conversationId": c}), 404, "NOT_FOUND")
        self.assertEqual(bob.get("/conversations").json()["conversations"], [])
        self.assertEqual(len(ann.get(f"/conversation/{c}").json()["messages"]), 2)

    def test_chat_validation(self):
        ann = SecondbrainUser(self.srv)
        for body, field in (({}, "message"), ({"message": ""}, "message"), ({"message": 3}, "message"),
                            ({"message": "x", "temperature": 3}, "temperature"),
                            ({"message": "x", "temperature": "hot"}, "temperature"),
                            ({"message": "x", "maxTokens": 0}, "maxTokens"),
                            ({"message": "x", "maxTokens": 1.5}, "maxTokens"),
                            ({"message": "x", "conversationId": 7}, "conversationId")):
            r = ann.post("/chat", json=body)
            self.assertEqual(error_of(self, r, 400, "VALIDATION_ERROR")["details"]["field"], field, body)
        error_of(self, ann.post("/chat", json={"message": "x", "conversationId": "nope"}), 404, "NOT_FOUND")
        error_of(self, ann.post("/chat", auth=False, json={"message": "x"}), 401, "AUTH_ERROR")
        self.assertEqual(ann.get("/conversations").json()["pagination"]["total"], 0)

    def test_without_an_upstream_chat_is_llm_error_and_nothing_is_stored(self):
        ann = SecondbrainUser(self.offline)
        r = ann.post("/chat", json={"message": "Anyone there?"})
        err = error_of(self, r, 503, "LLM_ERROR", "LLM_001")
        self.assertTrue(err["message"])
        self.assertEqual(ann.get("/conversations").json()["pagination"]["total"], 0)

    def test_export_in_every_format_through_signed_links(self):
        import json
        import subprocess
        import tempfile
        from datetime import datetime, timezone
        ann, bob = SecondbrainUser(self.srv), SecondbrainUser(self.srv)
        first = ann.post("/chat", json={"message": "Bonjour, quelle heure est-il ? Привет мир"}).json()
        cid = first["conversationId"]
        ann.post("/chat", json={"message": "word " * 400, "conversationId": cid})
        stored = ann.get(f"/conversation/{cid}").json()["messages"]
        links = {}
        for fmt, ext, ctype in (("json", ".json", "application/json"), ("markdown", ".md", "text/markdown"),
                                ("pdf", ".pdf", "application/pdf")):
            r = ann.post(f"/conversation/{cid}/export", json={"format": fmt})
            self.assertEqual(r.status_code, 200, r.text)
            body = r.json()
            self.assertEqual(set(body), {"downloadUrl", "expiresAt"})
            self.assertTrue(body["downloadUrl"].startswith(f"/downloads/{cid}{ext}?"), body)
            self.assertRegex(body["expiresAt"], RFC3339_MS)
            expires = datetime.strptime(body["expiresAt"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
            self.assertAlmostEqual(expires.timestamp() - time.time(), 3600, delta=60)
            links[fmt] = body["downloadUrl"]
            url = self.srv.url("secondbrain", body["downloadUrl"])
            got = __import__("requests").get(url, headers={"Authorization": f"Bearer {ann.token}"}, timeout=30)
            self.assertEqual(got.status_code, 200, got.text[:200])
            self.assertTrue(got.headers["Content-Type"].startswith(ctype), got.headers)
            self.assertEqual(got.headers["Content-Disposition"], f'attachment; filename="{cid}{ext}"')
            self.assertEqual(got.headers["X-Content-Type-Options"], "nosniff")
            if fmt == "json":
                doc = json.loads(got.content)
                self.assertEqual(doc["conversation"]["id"], cid)
                self.assertEqual([m["content"] for m in doc["messages"]], [m["content"] for m in stored])
            elif fmt == "markdown":
                text = got.content.decode("utf-8")
                for m in stored:
                    self.assertIn(m["content"].strip(), text)
            else:
                self.assertTrue(got.content.startswith(b"%PDF-"))
                with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
                    f.write(got.content)
                    f.flush()
                    text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True,
                                          check=True).stdout
                flat = " ".join(text.split())
                for m in stored:
                    self.assertIn(" ".join(m["content"].split())[:60], flat)
                self.assertIn("Привет мир", flat)
        requests_ = __import__("requests")
        url = self.srv.url("secondbrain", links["json"])
        # Another user's token, no token, a changed signature, another file, a longer life: refused.
        error_of(self, requests_.get(url, headers={"Authorization": f"Bearer {bob.token}"}, timeout=30), 404,
                 "NOT_FOUND")
        error_of(self, requests_.get(url, timeout=30), 401, "AUTH_ERROR")
        auth = {"Authorization": f"Bearer {ann.token}"}
        error_of(self, requests_.get(url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB"), headers=auth,
                                     timeout=30), 404, "NOT_FOUND")
        error_of(self, requests_.get(url.replace(".json?", ".md?"), headers=auth, timeout=30), 404, "NOT_FOUND")
        stretched = re.sub(r"expires=(\d+)", lambda m: f"expires={int(m.group(1)) + 86400}", url)
        error_of(self, requests_.get(stretched, headers=auth, timeout=30), 404, "NOT_FOUND")
        # Bad format, another user's conversation, and a deleted conversation's links.
        r = ann.post(f"/conversation/{cid}/export", json={"format": "docx"})
        self.assertEqual(error_of(self, r, 400, "VALIDATION_ERROR")["details"]["field"], "format")
        error_of(self, bob.post(f"/conversation/{cid}/export", json={"format": "json"}), 404, "NOT_FOUND")
        ann.delete(f"/conversation/{cid}")
        error_of(self, requests_.get(url, headers=auth, timeout=30), 404, "NOT_FOUND")

    # --- voice --------------------------------------------------------------------

    @staticmethod
    def spoken_wav(text):
        import subprocess
        import tempfile
        with tempfile.NamedTemporaryFile(suffix=".wav") as f:
            subprocess.run(["espeak-ng", "-w", f.name, text], check=True, capture_output=True)
            with open(f.name, "rb") as audio:
                return audio.read()

    def test_voice_round_trip(self):
        import base64
        import io
        import wave
        ann = SecondbrainUser(self.srv)
        audio = self.spoken_wav("What is the capital of France")
        r = ann.post("/voice", files={"audio": ("question.wav", audio, "audio/wav")})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.headers["X-RateLimit-Limit"], "10")
        body = r.json()
        self.assertEqual(set(body) >= {"messageId", "conversationId", "transcript", "responseText", "responseAudio",
                                       "metadata", "timestamp"}, True)
        self.assertTrue(body["transcript"].strip())
        self.assertEqual(body["responseText"], "Echo: " + " ".join(body["transcript"].split()))
        for key in ("sttTime", "llmTime", "ttsTime", "totalTime", "tokensUsed"):
            self.assertIsInstance(body["metadata"][key], int, key)
        self.assertGreaterEqual(body["metadata"]["totalTime"], body["metadata"]["sttTime"])
        with wave.open(io.BytesIO(base64.b64decode(body["responseAudio"]))) as w:
            self.assertEqual((w.getframerate(), w.getnchannels(), w.getsampwidth()), (22050, 1, 2))
            self.assertGreater(w.getnframes(), 22050 // 4)
        stored = ann.get(f"/conversation/{body['conversationId']}").json()["messages"]
        self.assertEqual(stored[0]["metadata"], {"voiceInput": True})
        self.assertEqual(stored[0]["content"], body["transcript"])
        # Continuing a conversation, a conversation that is not the user's.
        r = ann.post("/voice", files={"audio": ("q.wav", audio, "audio/wav")},
                     data={"conversationId": body["conversationId"]})
        self.assertEqual(r.json()["conversationId"], body["conversationId"])
        bob = SecondbrainUser(self.srv)
        error_of(self, bob.post("/voice", files={"audio": ("q.wav", audio, "audio/wav")},
                                data={"conversationId": body["conversationId"]}), 404, "NOT_FOUND")

    def test_voice_refusals(self):
        ann = SecondbrainUser(self.srv)
        # Not audio, whatever the name and type say; a truncated file.
        r = ann.post("/voice", files={"audio": ("fake.wav", b"This is not audio at all" * 100, "audio/wav")})
        self.assertEqual(error_of(self, r, 400, "FILE_ERROR")["code"], "FILE_004")
        audio = self.spoken_wav("Hello there")
        r = ann.post("/voice", files={"audio": ("cut.wav", audio[:200], "audio/wav")})
        error_of(self, r, 400, "FILE_ERROR")
        # No audio part; not multipart at all.
        r = ann.post("/voice", files={"other": ("x.wav", audio, "audio/wav")})
        self.assertEqual(error_of(self, r, 400, "VALIDATION_ERROR")["details"]["field"], "audio")
        r = ann.post("/voice", json={"audio": "x"})
        self.assertEqual(r.status_code, 415, r.text)
        # Over 10 MB.
        big = audio + b"\0" * (10 * 1024 * 1024)
        r = ann.post("/voice", files={"audio": ("big.wav", big, "audio/wav")})
        self.assertEqual(r.status_code, 413, r.text)
        # Without a speech-to-text engine: 503 naming it.
        off = SecondbrainUser(self.offline)
        r = off.post("/voice", files={"audio": ("q.wav", audio, "audio/wav")})
        err = error_of(self, r, 503, "SERVICE_UNAVAILABLE")
        self.assertIn("STT", err["message"])
        self.assertEqual(ann.get("/conversations").json()["pagination"]["total"], 0)

    # --- models and stats ------------------------------------------------------------

    def test_model_switch_is_per_user_and_timed(self):
        ann, bob = SecondbrainUser(self.srv), SecondbrainUser(self.srv)
        listing = ann.get("/models").json()
        self.assertEqual(listing["activeModel"], "fake-chat")
        self.assertEqual({m["id"]: m["status"] for m in listing["models"]},
                         {"fake-chat": "active", "fake-chat-2": "available"})
        for m in listing["models"]:
            self.assertEqual(set(m), {"id", "name", "provider", "parameters", "quantization", "contextLength",
                                      "vramRequired", "status"})
        r = ann.post("/models/switch", json={"modelId": "fake-chat-2"})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual((body["message"], body["activeModel"]), ("Model switched successfully", "fake-chat-2"))
        self.assertIsInstance(body["loadTime"], int)
        self.assertEqual(self.chat_request_for("Hi")["model"], "fake-chat-2")  # the warm-up call
        self.assertEqual(ann.get("/models").json()["activeModel"], "fake-chat-2")
        self.assertEqual(bob.get("/models").json()["activeModel"], "fake-chat")
        self.assertEqual(ann.post("/chat", json={"message": "hi"}).json()["metadata"]["model"], "fake-chat-2")
        self.assertEqual(bob.post("/chat", json={"message": "hi"}).json()["metadata"]["model"], "fake-chat")
        self.assertEqual(ann.get("/user/preferences").json()["preferences"]["defaultModel"], "fake-chat-2")
        err = error_of(self, ann.post("/models/switch", json={"modelId": "gpt-9"}), 404, "NOT_FOUND")
        self.assertEqual(err["details"]["field"], "modelId")
        self.assertEqual(error_of(self, ann.post("/models/switch", json={}), 400, "VALIDATION_ERROR")["details"]["field"],
                         "modelId")
        error_of(self, SecondbrainUser(self.offline).post("/models/switch", json={"modelId": "x"}), 503, "LLM_ERROR")

    def test_stats_are_measured_and_for_admins_only(self):
        import os
        import subprocess
        from harness import atrium_binary
        user = SecondbrainUser(self.srv)
        err = error_of(self, user.get("/stats"), 403, "AUTH_ERROR", "AUTH_007")
        self.assertTrue(err["message"])
        admin = SecondbrainUser(self.srv)
        r = subprocess.run([atrium_binary(), "user", "promote", "--email", admin.email, "--config",
                            os.path.join(self.srv.workdir, "atrium.toml")], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        admin.post("/chat", json={"message": "count me"})
        admin.post("/memory/save", json={"content": "a memory to count"})
        r = admin.get("/stats")
        if r.status_code == 403:  # the role is read at sign-in: sign in again
            login = admin.request("POST", "/auth/login", auth=False,
                                  json={"email": admin.email, "password": "SecureP@ssw0rd123"})
            admin.token = login.json()["tokens"]["accessToken"]
            r = admin.get("/stats")
        self.assertEqual(r.status_code, 200, r.text)
        s = r.json()
        self.assertEqual(set(s), {"system", "api", "llm", "database"})
        self.assertEqual(set(s["system"]), {"cpuUsage", "memoryUsage", "gpuUsage", "gpuMemory", "diskUsage"})
        self.assertIsNone(s["system"]["gpuUsage"])
        self.assertIsNone(s["system"]["gpuMemory"])
        for key in ("cpuUsage", "memoryUsage", "diskUsage"):
            self.assertGreaterEqual(s["system"][key], 0)
            self.assertLessEqual(s["system"][key], 100)
        self.assertGreater(s["api"]["requestsPerMinute"], 0)
        self.assertGreater(s["api"]["averageResponseTime"], 0)
        self.assertGreaterEqual(s["api"]["errorRate"], 0)
        self.assertGreaterEqual(s["api"]["activeConnections"], 1)  # this request
        self.assertGreater(s["llm"]["averageInferenceTime"], 0)
        self.assertGreater(s["llm"]["tokensPerSecond"], 0)
        for key in ("queueDepth", "activeRequests"):  # a background title may be running
            self.assertIsInstance(s["llm"][key], int)
            self.assertGreaterEqual(s["llm"][key], 0)
        db = s["database"]
        self.assertGreaterEqual(db["totalUsers"], 2)
        self.assertGreaterEqual(db["totalConversations"], 1)
        self.assertGreaterEqual(db["totalMessages"], 2)
        self.assertGreaterEqual(db["totalMemories"], 1)
        self.assertEqual(db["totalDocuments"], 0)

    # --- Socket.IO on the socket port -----------------------------------------------

    def socket(self, user, srv=None):
        import socketio  # python3-socketio (Debian)
        srv = srv or self.srv
        sio = socketio.Client(reconnection=False)
        events = []
        cond = threading.Condition()

        def record(name):
            def handler(data=None):
                with cond:
                    events.append((name, data))
                    cond.notify_all()
            return handler
        for name in ("chat:thinking", "chat:response", "error", "typing:start", "typing:stop", "memory:updated",
                     "voice:response"):
            sio.on(name, record(name))
        sio.connect(f"http://127.0.0.1:{srv.port('secondbrain_socket')}", transports=["websocket"],
                    auth={"token": user.token}, wait_timeout=5)

        def wait_for(pred, timeout=10):
            deadline = time.monotonic() + timeout
            with cond:
                while not pred(events):
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    cond.wait(left)
                return True
        return sio, events, wait_for

    def test_socket_chat_streams_to_every_socket_of_the_user(self):
        ann, bob = SecondbrainUser(self.srv), SecondbrainUser(self.srv)
        a1, ev1, wait1 = self.socket(ann)
        a2, ev2, wait2 = self.socket(ann)
        b, evb, _ = self.socket(bob)
        try:
            final = lambda evs: any(n == "chat:response" and d["done"] for n, d in evs)  # noqa: E731
            a1.emit("chat:message", {"text": "Tell me about quantum computing"})
            self.assertTrue(wait1(final), ev1)
            self.assertTrue(wait2(final), ev2)
            names = [n for n, _ in ev1]
            self.assertEqual(names[0], "chat:thinking")
            self.assertEqual(ev1[0][1]["status"], "thinking")
            chunks = [d for n, d in ev1 if n == "chat:response" and not d["done"]]
            done = [d for n, d in ev1 if n == "chat:response" and d["done"]][0]
            self.assertEqual(len(chunks), len("Echo: Tell me about quantum computing".split()))
            self.assertEqual("".join(c["text"] for c in chunks), done["text"])
            self.assertEqual(done["text"], "Echo: Tell me about quantum computing")
            for c in chunks:
                self.assertEqual(set(c), {"text", "messageId", "conversationId", "done"})
                self.assertEqual((c["messageId"], c["conversationId"]), (done["messageId"], done["conversationId"]))
            self.assertEqual(set(done["metadata"]) >= {"tokensUsed", "inferenceTime"}, True)
            self.assertEqual(ev1[0][1]["conversationId"], done["conversationId"])
            self.assertEqual([n for n, _ in ev2], names)
            # Stored like a REST turn.
            time.sleep(0.2)
            stored = ann.get(f"/conversation/{done['conversationId']}").json()["messages"]
            self.assertEqual([m["content"] for m in stored], ["Tell me about quantum computing", done["text"]])
            # Continue the conversation.
            before = len(ev1)
            a1.emit("chat:message", {"text": "And more", "conversationId": done["conversationId"]})
            self.assertTrue(wait1(lambda evs: len([1 for n, d in evs[before:] if n == "chat:response" and d["done"]])))
            self.assertEqual(len(ann.get(f"/conversation/{done['conversationId']}").json()["messages"]), 4)
            # Typing goes to the user's other sockets only.
            a1.emit("typing:start", {"conversationId": done["conversationId"]})
            self.assertTrue(wait2(lambda evs: any(n == "typing:start" for n, _ in evs)))
            typing = [d for n, d in ev2 if n == "typing:start"][0]
            self.assertEqual(typing, {"conversationId": done["conversationId"], "userId": ann.user_id})
            a1.emit("typing:stop", {"conversationId": done["conversationId"]})
            self.assertTrue(wait2(lambda evs: any(n == "typing:stop" for n, _ in evs)))
            time.sleep(0.3)
            self.assertFalse(any(n.startswith("typing") for n, _ in ev1))
            self.assertEqual(evb, [])
        finally:
            for s in (a1, a2, b):
                s.disconnect()

    def test_socket_voice_stream_answers_with_binary_audio(self):
        import io
        import wave
        ann = SecondbrainUser(self.srv)
        s, ev, wait = self.socket(ann)
        try:
            s.emit("voice:stream", {"audio": self.spoken_wav("Turn on the lights"), "format": "wav"})
            self.assertTrue(wait(lambda evs: any(n in ("voice:response", "error") for n, _ in evs), 60), ev)
            name, data = [e for e in ev if e[0] in ("voice:response", "error")][0]
            self.assertEqual(name, "voice:response", data)
            self.assertIsInstance(data["audio"], bytes)
            with wave.open(io.BytesIO(data["audio"])) as w:
                self.assertEqual((w.getframerate(), w.getnchannels(), w.getsampwidth()), (22050, 1, 2))
            self.assertEqual(data["text"], "Echo: " + " ".join(data["transcript"].split()))
            stored = ann.get(f"/conversation/{data['conversationId']}").json()["messages"]
            self.assertEqual(stored[0]["metadata"], {"voiceInput": True})
            self.assertEqual(stored[1]["id"], data["messageId"])
            s.emit("voice:stream", {"audio": b"not audio", "format": "wav"})
            self.assertTrue(wait(lambda evs: any(n == "error" for n, _ in evs), 30))
            self.assertEqual([d for n, d in ev if n == "error"][0]["code"], "FILE_ERROR")
        finally:
            s.disconnect()

    def test_socket_errors_use_the_spec_codes(self):
        ann = SecondbrainUser(self.srv)
        s, ev, wait = self.socket(ann)
        try:
            s.emit("chat:message", {"conversationId": "x"})
            self.assertTrue(wait(lambda evs: any(n == "error" for n, _ in evs)))
            err = [d for n, d in ev if n == "error"][0]
            self.assertEqual(err["code"], "VALIDATION_ERROR")
            self.assertEqual(err["details"]["field"], "text")
            s.emit("chat:message", {"text": "hi", "conversationId": "not-mine"})
            self.assertTrue(wait(lambda evs: len([1 for n, _ in evs if n == "error"]) >= 2))
            self.assertEqual([d for n, d in ev if n == "error"][1]["code"], "NOT_FOUND")
        finally:
            s.disconnect()
        offline = SecondbrainUser(self.offline)
        s, ev, wait = self.socket(offline, self.offline)
        try:
            s.emit("chat:message", {"text": "hello?"})
            self.assertTrue(wait(lambda evs: any(n == "error" for n, _ in evs)))
            err = [d for n, d in ev if n == "error"][0]
            self.assertEqual(err["code"], "LLM_ERROR")
            self.assertEqual(err["details"]["retryAfter"], 5000)
            self.assertTrue(err["message"])
        finally:
            s.disconnect()


if __name__ == "__main__":
    unittest.main()
