"""Unichat models (/api/models*), enhance-prompt (/api/configs/enhance-prompt) and the
admin analytics (/api/admin/analytics*) against uni-chat-api.md, with the fake upstream
(tests/upstream) as the LLM: OpenRouter-style model fields, slash ids in both forms, a
real cache refresh, the enhance request the upstream sees and the tokens it costs, and
analytics numbers checked exactly against chat traffic sent through the OpenAI front door
with unichat access tokens."""

import datetime
import json
import os
import shutil
import tempfile
import unittest

import requests

from fake_upstream import FakeUpstream
from harness import AtriumServer
from unichat_client import UnichatUser, UnichatUsersMixin, promote

CLAUDE = "anthropic/claude-3-sonnet"
GPT4O = "openai/gpt-4o"
MODEL_INFO = {
    CLAUDE: {"owned_by": None, "name": "Claude 3 Sonnet", "description": "Balance of intelligence and speed",
             "context_length": 200000, "pricing": {"prompt": "0.000003", "completion": "0.000015"},
             "top_provider": {"context_length": 200000, "max_completion_tokens": 4096, "is_moderated": True},
             "architecture": {"modality": "text", "tokenizer": "Claude", "instruct_type": "claude"},
             "per_request_limits": None},
    GPT4O: {"owned_by": None, "name": "GPT-4o", "context_length": 128000},
}
# fake-chat is priced by config: USD per million tokens, "<prompt> <completion>".
FAKE_CHAT_PRICE = (1.5e-6, 2.5e-6)
CLAUDE_PRICE = (0.000003, 0.000015)
NO_UPSTREAM = {"error": "No LLM upstream is configured"}


def words(text):
    return len(text.split())


def start_fake(*args):
    info_dir = tempfile.mkdtemp(prefix="atrium-model-info-")
    path = os.path.join(info_dir, "info.json")
    with open(path, "w") as f:
        json.dump(MODEL_INFO, f)
    fake = FakeUpstream("--models", ",".join(["fake-chat", CLAUDE, GPT4O]), "--model-info", path, *args)
    shutil.rmtree(info_dir, ignore_errors=True)  # read at start
    return fake


def configured(fake, **llm):
    return {"security": {"rate_limits": False},
            "llm": dict({"base_url": fake.base, "model": "fake-chat"}, **llm),
            "llm.pricing": {"fake-chat": "1.5 2.5"}}


def utc_today():
    return datetime.datetime.now(datetime.timezone.utc).date()


class Base(UnichatUsersMixin, unittest.TestCase):
    CONFIG = {"security": {"rate_limits": False}}
    USERS = ("ann", "bob")

    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config=cls.CONFIG).start()
        cls.users = {name: UnichatUser(cls.srv, f"{name}@example.com") for name in cls.USERS + ("root",)}
        promote(cls.srv, "root@example.com")

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        if "ERROR: AddressSanitizer" in log or "runtime error:" in log:
            raise AssertionError("sanitizer report in server log:\n" + log)
        if code != 0:
            raise AssertionError(f"atrium exited with {code}:\n{log}")

    def expect(self, r, status, body):
        self.assertEqual((r.status_code, r.json()), (status, body), r.text)

    def me(self, who):
        return self.call("GET", "/api/auth/me", who).json()["usage"]["tokens_used"]


class UnconfiguredTest(Base):
    """No LLM upstream: every model route and enhance-prompt answer 503, never made-up models."""

    def test_model_routes_answer_503(self):
        for method, path in [("GET", "/api/models"), ("GET", "/api/models/categories"),
                             ("POST", "/api/models/refresh"), ("GET", "/api/models/fake-chat"),
                             ("GET", f"/api/models/{CLAUDE}"), ("GET", "/api/models/anthropic%2Fclaude-3-sonnet")]:
            with self.subTest(path=path):
                self.expect(self.call(method, path), 503, NO_UPSTREAM)
                self.assertEqual(self.call(method, path, None).status_code, 401)

    def test_enhance_prompt_validates_then_answers_503(self):
        cases = [({}, "Prompt is required"), ({"prompt": None}, "Prompt is required"),
                 ({"prompt": ""}, "Prompt is required"), ({"prompt": "   "}, "Prompt is required"),
                 ({"prompt": 5}, "Prompt must be a string"), ({"prompt": ["a"]}, "Prompt must be a string"),
                 ({"prompt": "é" * 10001}, "Prompt too long (max 10000 characters)"),
                 ({"prompt": "a" * 10001}, "Prompt too long (max 10000 characters)")]
        for body, message in cases:
            with self.subTest(message=message, body=str(body)[:40]):
                self.expect(self.call("POST", "/api/configs/enhance-prompt", json=body), 400, {"error": message})
        # 10,000 characters of two bytes each are within the limit, also as JSON escapes
        # (an emoji is 12 bytes of "\ud83d\ude00", past the site's 64 KiB default body).
        self.expect(self.call("POST", "/api/configs/enhance-prompt", json={"prompt": "é" * 10000}), 503, NO_UPSTREAM)
        self.expect(self.call("POST", "/api/configs/enhance-prompt", json={"prompt": "\U0001F600" * 10000}), 503,
                    NO_UPSTREAM)
        self.expect(self.call("POST", "/api/configs/enhance-prompt", json={"prompt": "\U0001F600" * 10001}), 400,
                    {"error": "Prompt too long (max 10000 characters)"})
        r = self.call("POST", "/api/configs/enhance-prompt", data="{", headers={"Content-Type": "application/json"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.call("POST", "/api/configs/enhance-prompt", None, json={"prompt": "x"}).status_code,
                         401)
        self.assertEqual(self.me("ann"), 0)

    def test_analytics_are_for_admins_only(self):
        for path in ["/api/admin/analytics", "/api/admin/analytics/costs", "/api/admin/analytics/timeseries"]:
            with self.subTest(path=path):
                self.expect(self.call("GET", path, "ann"), 403, {"error": "Admin access required"})
                self.assertEqual(self.call("GET", path, None).status_code, 401)
                self.assertEqual(self.call("GET", path, "root").status_code, 200)

    def test_analytics_parameters(self):
        for path in ["/api/admin/analytics", "/api/admin/analytics/costs", "/api/admin/analytics/timeseries"]:
            for days in ["0", "366", "-1", "x", "1.5", "30d"]:
                with self.subTest(path=path, days=days):
                    self.expect(self.call("GET", f"{path}?days={days}", "root"), 400,
                                {"error": "days must be an integer from 1 to 365"})
            self.assertEqual(self.call("GET", f"{path}?days=365", "root").status_code, 200)
            self.assertEqual(self.call("GET", f"{path}?days=1", "root").status_code, 200)
        for g in ["year", "Day", "hour", "days"]:
            with self.subTest(granularity=g):
                self.expect(self.call("GET", f"/api/admin/analytics/timeseries?granularity={g}", "root"), 400,
                            {"error": "granularity must be day, week or month"})

    def test_empty_analytics(self):
        r = self.call("GET", "/api/admin/analytics", "root")
        self.expect(r, 200, {"analytics": {"users": {"total": 3, "active": 0},
                                           "conversations": {"total": 0, "recent": 0},
                                           "messages": {"total": 0}, "tokens": {"total": 0},
                                           "model_usage": [], "period_days": 30}})
        self.expect(self.call("GET", "/api/admin/analytics/costs?days=7", "root"), 200,
                    {"costs": {"by_model": [], "total_cost_usd": 0, "period_days": 7}})
        before = utc_today()
        t = self.call("GET", "/api/admin/analytics/timeseries?days=2", "root").json()["timeseries"]
        today = t["messages"][-1]["date"]
        self.assertIn(today, {before.isoformat(), utc_today().isoformat()})
        day = datetime.date.fromisoformat(today)
        dates = [(day - datetime.timedelta(days=n)).isoformat() for n in (2, 1, 0)]
        self.assertEqual(t["messages"], [{"date": d, "value": 0} for d in dates])
        self.assertEqual(t["tokens"], t["messages"])
        self.assertEqual(t["conversations"], t["messages"])
        self.assertEqual(t["users"], [{"date": d, "value": 3 if d == today else 0} for d in dates])
        self.assertEqual((t["popular_models"], t["period_days"], t["granularity"]), ([], 2, "day"))


class WithFake(Base):
    """A server whose LLM upstream is the fake, started with FAKE_ARGS and stopped at the end."""

    FAKE_ARGS = ()
    LLM = {}

    @classmethod
    def setUpClass(cls):
        cls.fake = start_fake(*cls.FAKE_ARGS)
        cls.CONFIG = configured(cls.fake, **cls.LLM)
        try:
            super().setUpClass()
            cls.seed()
        except BaseException:
            if getattr(cls, "srv", None) is not None:
                cls.srv.stop()
                cls.srv.cleanup()
            cls.fake.stop()
            raise

    @classmethod
    def seed(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.fake.stop()


class ModelsTest(WithFake):

    CLAUDE_JSON = {"id": CLAUDE, "name": "Claude 3 Sonnet", "description": "Balance of intelligence and speed",
                   "context_length": 200000, "pricing": {"prompt": "0.000003", "completion": "0.000015"},
                   "top_provider": {"max_completion_tokens": 4096},
                   "architecture": {"modality": "text", "tokenizer": "Claude", "instruct_type": "claude"}}
    FAKE_CHAT_JSON = {"id": "fake-chat", "name": "fake-chat", "description": "", "context_length": None,
                      "pricing": {"prompt": "0.0000015", "completion": "0.0000025"},
                      "top_provider": {"max_completion_tokens": None},
                      "architecture": {"modality": None, "tokenizer": None, "instruct_type": None}}
    GPT4O_JSON = {"id": GPT4O, "name": "GPT-4o", "description": "", "context_length": 128000,
                  "pricing": {"prompt": None, "completion": None}, "top_provider": {"max_completion_tokens": None},
                  "architecture": {"modality": None, "tokenizer": None, "instruct_type": None}}

    def test_list_has_the_upstreams_fields(self):
        r = self.call("GET", "/api/models")
        self.expect(r, 200, {"models": [self.FAKE_CHAT_JSON, self.CLAUDE_JSON, self.GPT4O_JSON], "count": 3})
        self.assertEqual(self.call("GET", "/api/models", None).status_code, 401)

    def test_one_model_by_slash_or_percent_encoded_id(self):
        want = {"model": dict(self.CLAUDE_JSON, per_request_limits=None)}
        self.expect(self.call("GET", f"/api/models/{CLAUDE}"), 200, want)
        self.expect(self.call("GET", "/api/models/anthropic%2Fclaude-3-sonnet"), 200, want)
        self.expect(self.call("GET", "/api/models/anthropic%2fclaude-3-sonnet", "bob"), 200, want)
        self.expect(self.call("GET", "/api/models/fake-chat"), 200,
                    {"model": dict(self.FAKE_CHAT_JSON, per_request_limits=None)})
        for path in ["/api/models/nope", "/api/models/anthropic/nope", "/api/models/anthropic%2Fnope",
                     "/api/models/claude-3-sonnet", "/api/models/refresh"]:
            with self.subTest(path=path):
                self.expect(self.call("GET", path), 404, {"error": "Model not found"})
        self.assertEqual(self.call("GET", f"/api/models/{CLAUDE}", None).status_code, 401)

    def test_categories_group_by_provider(self):
        self.expect(self.call("GET", "/api/models/categories"), 200, {"categories": {
            "anthropic": [{"id": CLAUDE, "name": "Claude 3 Sonnet", "context_length": 200000}],
            "atrium-fake": [{"id": "fake-chat", "name": "fake-chat", "context_length": None}],
            "openai": [{"id": GPT4O, "name": "GPT-4o", "context_length": 128000}]}})

    def test_categories_go_by_the_id_prefix_not_owned_by(self):
        # An aggregator owns every model it lists; the id's prefix still names the provider.
        mixtral = "mistralai/mixtral-8x7b"
        info = dict(MODEL_INFO, **{mixtral: {"owned_by": "openrouter", "name": "Mixtral"},
                                   "bare-model": {"owned_by": "acme"}})
        r = requests.post(self.fake.url + "/__fake/models",
                          json={"models": ["fake-chat", CLAUDE, GPT4O, mixtral, "bare-model"], "info": info}, timeout=10)
        self.assertEqual(r.status_code, 200)
        try:
            self.assertEqual(self.call("POST", "/api/models/refresh").json()["count"], 5)
            categories = self.call("GET", "/api/models/categories").json()["categories"]
            self.assertEqual(sorted(categories), ["acme", "anthropic", "atrium-fake", "mistralai", "openai"])
            self.assertEqual(categories["mistralai"], [{"id": mixtral, "name": "Mixtral", "context_length": None}])
            self.assertEqual(categories["acme"], [{"id": "bare-model", "name": "bare-model", "context_length": None}])
        finally:
            requests.post(self.fake.url + "/__fake/models",
                          json={"models": ["fake-chat", CLAUDE, GPT4O], "info": MODEL_INFO}, timeout=10)
            self.assertEqual(self.call("POST", "/api/models/refresh").json()["count"], 3)

    def test_refresh_asks_the_upstream_again(self):
        self.assertEqual(self.call("GET", "/api/models").json()["count"], 3)
        listed = self.fake.stats()["by_path"].get("/v1/models", 0)
        gemini = "google/gemini-pro"
        new_info = dict(MODEL_INFO, **{gemini: {"owned_by": None, "name": "Gemini Pro"}})
        r = requests.post(self.fake.url + "/__fake/models",
                          json={"models": ["fake-chat", CLAUDE, GPT4O, gemini], "info": new_info}, timeout=10)
        self.assertEqual(r.status_code, 200)
        try:
            # The cached list (60 s) is still served...
            self.assertEqual(self.call("GET", "/api/models").json()["count"], 3)
            self.expect(self.call("GET", f"/api/models/{gemini}"), 404, {"error": "Model not found"})
            self.assertEqual(self.fake.stats()["by_path"].get("/v1/models", 0), listed)
            # ...until a refresh asks the upstream.
            self.expect(self.call("POST", "/api/models/refresh", "bob"), 200,
                        {"message": "Models cache refreshed", "count": 4})
            self.assertEqual(self.fake.stats()["by_path"]["/v1/models"], listed + 1)
            models = self.call("GET", "/api/models").json()
            self.assertEqual(models["count"], 4)
            self.assertEqual(models["models"][3]["name"], "Gemini Pro")
            self.assertEqual(self.call("GET", f"/api/models/{gemini}").json()["model"]["id"], gemini)
            self.assertEqual(self.call("GET", "/api/models/categories").json()["categories"]["google"],
                             [{"id": gemini, "name": "Gemini Pro", "context_length": None}])
            self.assertEqual(self.call("POST", "/api/models/refresh", None).status_code, 401)
        finally:
            requests.post(self.fake.url + "/__fake/models",
                          json={"models": ["fake-chat", CLAUDE, GPT4O], "info": MODEL_INFO}, timeout=10)
            self.assertEqual(self.call("POST", "/api/models/refresh").json()["count"], 3)

    def test_enhance_prompt_goes_through_the_gateway(self):
        before = self.me("ann")
        prompt = "You are a helpful assistant"
        r = self.call("POST", "/api/configs/enhance-prompt", json={"prompt": prompt})
        self.expect(r, 200, {"enhanced_prompt": "Echo: " + prompt})
        sent = [q for q in self.fake.stats()["recent_requests"] if q["path"] == "/v1/chat/completions"][-1]["body"]
        self.assertEqual(sent["model"], "fake-chat")
        self.assertFalse(sent.get("stream", False))
        self.assertEqual([m["role"] for m in sent["messages"]], ["system", "user"])
        self.assertIn("improve system prompts", sent["messages"][0]["content"])
        self.assertIn("improved system prompt only", sent["messages"][0]["content"])
        self.assertEqual(sent["messages"][1]["content"], prompt)
        self.assertEqual(sent["user"], self.users["ann"].id)
        # The fake counts words: the instruction and the prompt in, the echo out.
        spent = words(sent["messages"][0]["content"]) + words(prompt) + words("Echo: " + prompt)
        self.assertEqual(self.me("ann") - before, spent)
        # Characters, not bytes: 10,000 two-byte characters are accepted.
        r = self.call("POST", "/api/configs/enhance-prompt", "bob", json={"prompt": "é" * 10000})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["enhanced_prompt"], "Echo: " + "é" * 10000)
        self.expect(self.call("POST", "/api/configs/enhance-prompt", json={"prompt": "é" * 10001}), 400,
                    {"error": "Prompt too long (max 10000 characters)"})

    def test_enhance_prompt_respects_the_token_limit(self):
        cat = UnichatUser(self.srv, "cat@example.com")
        r = self.call("PUT", f"/api/admin/users/{cat.id}/limits", "root", json={"tokens_limit": 0})
        self.assertEqual(r.status_code, 200, r.text)
        calls = self.fake.stats()["by_path"].get("/v1/chat/completions", 0)
        r = cat.call("POST", "/api/configs/enhance-prompt", json={"prompt": "Be nice"})
        self.assertEqual((r.status_code, r.json()), (429, {"error": "Token limit reached"}))
        self.assertEqual(self.fake.stats()["by_path"].get("/v1/chat/completions", 0), calls)


class FailingUpstreamTest(WithFake):
    """An upstream that fails: clean 503s in unichat's error shape, never a 500, and no tokens charged."""

    FAKE_ARGS = ("--fail", "500")
    LLM = {"max_retries": 0}

    def test_upstream_failures_are_503(self):
        unavailable = {"error": "The LLM upstream is unavailable"}
        self.expect(self.call("POST", "/api/configs/enhance-prompt", json={"prompt": "Be nice"}), 503, unavailable)
        self.expect(self.call("GET", "/api/models"), 503, unavailable)
        self.expect(self.call("POST", "/api/models/refresh"), 503, unavailable)
        self.expect(self.call("GET", f"/api/models/{CLAUDE}"), 503, unavailable)
        self.assertEqual(self.me("ann"), 0)
        self.assertGreater(self.fake.stats()["failures_injected"], 0)


class FailingChatTest(WithFake):
    """The model list comes from config (llm.models), so the chat call itself fails."""

    FAKE_ARGS = ("--fail", "500")
    LLM = {"max_retries": 0, "models": ["fake-chat"]}
    MESSAGE = "The LLM upstream is unavailable"

    def test_enhance_prompt_failure_is_503(self):
        calls = self.fake.stats()["by_path"].get("/v1/chat/completions", 0)
        self.expect(self.call("POST", "/api/configs/enhance-prompt", json={"prompt": "Be nice"}), 503,
                    {"error": self.MESSAGE})
        self.assertEqual(self.fake.stats()["by_path"]["/v1/chat/completions"], calls + 1)
        self.assertEqual(self.me("ann"), 0)
        self.assertEqual(self.call("GET", "/api/models").json()["count"], 1)  # configured, never asked


class RateLimitedChatTest(FailingChatTest):
    FAKE_ARGS = ("--fail", "429")
    MESSAGE = "The LLM upstream is rate limiting requests"


class AnalyticsTest(WithFake):
    """Chat traffic through the OpenAI front door with unichat access tokens, one old
    conversation written into the database 40 days back, then the figures exactly."""

    CHATS = [("ann", "fake-chat", "hello there general"), ("ann", "fake-chat", "one two three four five"),
             ("bob", CLAUDE, "hi claude")]

    @classmethod
    def seed(cls):
        cls.usage = {}
        for who, model, text in cls.CHATS:
            r = requests.post(cls.srv.url("openai", "/v1/chat/completions"),
                              headers={"Authorization": f"Bearer {cls.users[who].token}"},
                              json={"model": model, "messages": [{"role": "user", "content": text}]}, timeout=30)
            assert r.status_code == 200, r.text
            cls.usage.setdefault(model, []).append(r.json()["usage"])
        r = cls.users["bob"].call("POST", "/api/configs/enhance-prompt", json={"prompt": "Be brief"})
        assert r.status_code == 200, r.text
        cls.enhance_tokens = cls.users["bob"].call("GET", "/api/auth/me").json()["usage"]["tokens_used"] - sum(
            u["total_tokens"] for u in cls.usage[CLAUDE])
        # Bob's conversation from 40 days ago: outside the default 30 days, inside 60.
        old = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=40)).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z")
        cls.old_date = old[:10]
        cls.srv.sql("INSERT INTO conversations (id, user_id, created_at, updated_at) VALUES ('old', ?, ?, ?)",
                    (cls.users["bob"].id, old, old))
        for i, (role, model, tokens, cost) in enumerate([("user", None, None, None),
                                                         ("assistant", "old-model", 100, 0.5)]):
            cls.srv.sql("INSERT INTO messages (id, conversation_id, user_id, role, content, model, total_tokens,"
                        " cost_usd, created_at, updated_at) VALUES (?, 'old', ?, ?, 'x', ?, ?, ?, ?, ?)",
                        (f"old-{i}", cls.users["bob"].id, role, model, tokens, cost, old, old))

    def tokens(self, model):
        return sum(u["total_tokens"] for u in self.usage[model])

    def cost(self, model, price):
        return sum(u["prompt_tokens"] * price[0] + u["completion_tokens"] * price[1] for u in self.usage[model])

    def test_the_traffic_is_what_the_fake_counts(self):
        # The fake's rule (a token is a word): "Echo:" plus the words sent.
        self.assertEqual(self.usage["fake-chat"], [
            {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7},
            {"prompt_tokens": 5, "completion_tokens": 6, "total_tokens": 11}])
        self.assertEqual(self.usage[CLAUDE], [{"prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5}])
        self.assertGreater(self.enhance_tokens, 0)

    def test_summary(self):
        r = self.call("GET", "/api/admin/analytics", "root")
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json(), {"analytics": {
            "users": {"total": 3, "active": 2},
            "conversations": {"total": 4, "recent": 3},
            "messages": {"total": 8},
            "tokens": {"total": 18 + 5 + self.enhance_tokens},  # the accounts' counters, enhance-prompt included
            "model_usage": [{"_id": "fake-chat", "count": 2, "total_tokens": 18},
                            {"_id": CLAUDE, "count": 1, "total_tokens": 5}],
            "period_days": 30}})
        a = self.call("GET", "/api/admin/analytics?days=60", "root").json()["analytics"]
        self.assertEqual((a["conversations"], a["users"]["active"]), ({"total": 4, "recent": 4}, 2))
        self.assertEqual(a["model_usage"][-1], {"_id": "old-model", "count": 1, "total_tokens": 100})

    def test_costs_from_configured_and_listed_prices(self):
        c = self.call("GET", "/api/admin/analytics/costs", "root").json()["costs"]
        self.assertEqual(c["period_days"], 30)
        fake_cost = self.cost("fake-chat", FAKE_CHAT_PRICE)  # (3*1.5 + 4*2.5 + 5*1.5 + 6*2.5) / 1e6
        claude_cost = self.cost(CLAUDE, CLAUDE_PRICE)  # 2*0.000003 + 3*0.000015
        self.assertAlmostEqual(fake_cost, 37e-6, places=15)
        self.assertAlmostEqual(claude_cost, 51e-6, places=15)
        self.assertEqual([(m["_id"], m["total_requests"], m["total_tokens"]) for m in c["by_model"]],
                         [(CLAUDE, 1, 5), ("fake-chat", 2, 18)])  # highest cost first
        self.assertAlmostEqual(c["by_model"][0]["total_cost"], claude_cost, places=15)
        self.assertAlmostEqual(c["by_model"][1]["total_cost"], fake_cost, places=15)
        self.assertAlmostEqual(c["total_cost_usd"], fake_cost + claude_cost, places=15)
        c60 = self.call("GET", "/api/admin/analytics/costs?days=60", "root").json()["costs"]
        self.assertEqual(c60["by_model"][0], {"_id": "old-model", "total_cost": 0.5, "total_requests": 1,
                                              "total_tokens": 100})
        self.assertAlmostEqual(c60["total_cost_usd"], 0.5 + fake_cost + claude_cost, places=12)

    def test_daily_timeseries(self):
        before = utc_today()
        t = self.call("GET", "/api/admin/analytics/timeseries", "root").json()["timeseries"]
        self.assertEqual((t["period_days"], t["granularity"]), (30, "day"))
        today = t["messages"][-1]["date"]
        self.assertIn(today, {before.isoformat(), utc_today().isoformat()})
        day = datetime.date.fromisoformat(today)
        dates = [(day - datetime.timedelta(days=n)).isoformat() for n in range(30, -1, -1)]
        for series, value in [("messages", 6), ("users", 3), ("conversations", 3), ("tokens", 23)]:
            with self.subTest(series=series):
                self.assertEqual(t[series], [{"date": d, "value": value if d == today else 0} for d in dates])
        self.assertEqual(t["popular_models"], [{"model": "fake-chat", "count": 2}, {"model": CLAUDE, "count": 1}])

    def test_weekly_and_monthly_timeseries(self):
        t = self.call("GET", "/api/admin/analytics/timeseries?days=60&granularity=week", "root").json()["timeseries"]
        self.assertEqual((t["period_days"], t["granularity"]), (60, "week"))
        mondays = [datetime.date.fromisoformat(p["date"]) for p in t["messages"]]
        self.assertTrue(all(d.weekday() == 0 for d in mondays), mondays)
        self.assertEqual([(b - a).days for a, b in zip(mondays, mondays[1:])], [7] * (len(mondays) - 1))
        self.assertLessEqual(mondays[-1], utc_today())
        self.assertGreater(mondays[-1], utc_today() - datetime.timedelta(days=7))
        old = datetime.date.fromisoformat(self.old_date)
        old_week = (old - datetime.timedelta(days=old.weekday())).isoformat()
        self.assertEqual({p["date"]: p["value"] for p in t["messages"] if p["value"]},
                         {old_week: 2, mondays[-1].isoformat(): 6})
        self.assertEqual(sum(p["value"] for p in t["tokens"]), 123)
        self.assertEqual(sum(p["value"] for p in t["conversations"]), 4)
        self.assertEqual(t["popular_models"][-1], {"model": "old-model", "count": 1})

        m = self.call("GET", "/api/admin/analytics/timeseries?days=60&granularity=month", "root").json()["timeseries"]
        firsts = [p["date"] for p in m["messages"]]
        self.assertTrue(all(d.endswith("-01") for d in firsts), firsts)
        self.assertIn(len(firsts), (3, 4))  # 60 days touch three months, or four
        self.assertEqual(firsts[-1], utc_today().replace(day=1).isoformat())
        self.assertEqual(sum(p["value"] for p in m["messages"]), 8)
        by_month = {p["date"]: p["value"] for p in m["messages"]}
        self.assertEqual(by_month[old.replace(day=1).isoformat()], 2)  # 40 days back is another month
        self.assertEqual(by_month[firsts[-1]], 6)

    def test_each_call_is_audited(self):
        self.call("GET", "/api/admin/analytics?days=12", "root")
        self.call("GET", "/api/admin/analytics/costs?days=13", "root")
        self.call("GET", "/api/admin/analytics/timeseries?days=14&granularity=month", "root")
        self.assertEqual(self.call("GET", "/api/admin/analytics?days=15", "ann").status_code, 403)
        for action, details in [("view_analytics", {"days": 12}), ("view_analytics_costs", {"days": 13}),
                                ("view_analytics_timeseries", {"days": 14, "granularity": "month"})]:
            with self.subTest(action=action):
                logs = self.call("GET", f"/api/admin/audit-logs?action={action}", "root").json()["logs"]
                self.assertEqual(logs[0]["details"], details)
                self.assertEqual((logs[0]["admin_id"], logs[0]["admin_email"], logs[0]["target_id"]),
                                 (self.users["root"].id, "root@example.com", ""))
        logs = self.call("GET", "/api/admin/audit-logs?action=view_analytics", "root").json()["logs"]
        self.assertNotIn({"days": 15}, [e["details"] for e in logs])  # refused calls are not recorded


if __name__ == "__main__":
    unittest.main()
