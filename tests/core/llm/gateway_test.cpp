#include "core/llm/gateway.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "support/fakes.hpp"
#include "support/scripted_fetcher.hpp"

namespace atrium::core::llm {
namespace {

using namespace std::chrono_literals;
using testing::ChatStream;
using testing::Script;

// Collects a stream's events and waits for its end.
class Recorder {
 public:
  GenerationSink Sink() {
    return [this](const GenerationEvent& e) {
      std::lock_guard lock(mu_);
      events_.push_back(e);
      if (e.type == GenerationEventType::kDone || e.type == GenerationEventType::kError) ended_ = true;
      cv_.notify_all();
    };
  }
  bool WaitEnd(std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return ended_; });
  }
  bool WaitEvents(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return events_.size() >= n; });
  }
  std::vector<GenerationEvent> events() {
    std::lock_guard lock(mu_);
    return events_;
  }
  std::string Types() {
    std::string out;
    for (const auto& e : events()) {
      static const char* kNames[] = {"started", "delta", "usage", "done", "error"};
      if (!out.empty()) out += ",";
      out += kNames[static_cast<int>(e.type)];
    }
    return out;
  }
  const GenerationEvent& Last() {
    std::lock_guard lock(mu_);
    return events_.back();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<GenerationEvent> events_;
  bool ended_ = false;
};

UpstreamConfig Upstream(std::string name, std::string url, std::vector<std::string> models) {
  UpstreamConfig c;
  c.name = std::move(name);
  c.settings.base_url = std::move(url);
  c.settings.api_key = "sk-" + c.name;
  c.models = std::move(models);
  c.retry_backoff = 10ms;
  c.max_retries = 2;
  return c;
}

// A stream's first pieces (role, one token) without its end.
std::vector<std::string> Opening() {
  auto pieces = ChatStream({"x"});
  pieces.resize(2);
  return pieces;
}

GenerationRequest Ask(std::string model, std::string text = "hello there") {
  GenerationRequest r;
  r.model = std::move(model);
  r.messages = {{"user", std::move(text)}};
  return r;
}

class GatewayTest : public ::testing::Test {
 protected:
  testing::ScriptedFetcher fetcher_;
  testing::FakeClock clock_;
  Gateway gateway_{fetcher_, clock_};
};

TEST_F(GatewayTest, WithoutUpstreamsEverythingIsUnavailable) {
  EXPECT_EQ(gateway_.Generate(Ask("m")).error().reason(), Reason::kLlmNotConfigured);
  Recorder rec;
  auto s = gateway_.Stream(Ask("m"), rec.Sink());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(s.error().reason(), Reason::kLlmNotConfigured);
  EXPECT_EQ(gateway_.Models().error().reason(), Reason::kLlmNotConfigured);
  EXPECT_TRUE(rec.events().empty());
}

TEST_F(GatewayTest, RoutesEachModelToItsUpstream) {
  gateway_.AddUpstream(Upstream("one", "http://one/v1/", {"anthropic/claude-3-sonnet"}));
  gateway_.AddUpstream(Upstream("two", "http://two/v1", {"mistral-7b-instruct"}));
  fetcher_.Push({.pieces = {R"({"choices":[{"message":{"content":"from two"},"finish_reason":"stop"}]})"}});
  fetcher_.Push({.pieces = {R"({"choices":[{"message":{"content":"from one"},"finish_reason":"stop"}]})"}});
  auto two = gateway_.Generate(Ask("mistral-7b-instruct"));
  ASSERT_TRUE(two) << two.error().internal_message();
  EXPECT_EQ(two->content, "from two");
  EXPECT_EQ(two->upstream, "two");
  EXPECT_EQ(two->model, "mistral-7b-instruct");
  auto one = gateway_.Generate(Ask("anthropic/claude-3-sonnet"));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->upstream, "one");
  const auto reqs = fetcher_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].url, "http://two/v1/chat/completions");
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[1].url, "http://one/v1/chat/completions");
  bool keyed = false;
  for (const auto& [k, v] : reqs[1].headers) keyed |= k == "Authorization" && v == "Bearer sk-one";
  EXPECT_TRUE(keyed);

  auto unknown = gateway_.Generate(Ask("gpt-9"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().reason(), Reason::kModelNotFound);
  EXPECT_EQ(fetcher_.requests().size(), 2u);  // nothing was sent for it

  auto models = gateway_.Models();
  ASSERT_TRUE(models);
  ASSERT_EQ(models->size(), 2u);
  EXPECT_EQ((*models)[0].provider, "anthropic");
  EXPECT_EQ((*models)[0].upstream, "one");
  EXPECT_EQ((*models)[1].provider, "two");
}

TEST_F(GatewayTest, AStreamGivesStartedDeltasUsageAndDoneWithCost) {
  auto up = Upstream("one", "http://one/v1", {"m"});
  up.pricing["m"] = {0.001, 0.002};
  gateway_.AddUpstream(up);
  fetcher_.Push({.pieces = ChatStream({"Hel", "lo"})});
  Recorder rec;
  auto s = gateway_.Stream(Ask("m"), rec.Sink());
  ASSERT_TRUE(s) << s.error().internal_message();
  ASSERT_TRUE(rec.WaitEnd());
  EXPECT_EQ(rec.Types(), "started,delta,delta,usage,done");
  const auto events = rec.events();
  EXPECT_EQ(events[1].delta, "Hel");
  EXPECT_EQ(events[2].delta, "lo");
  const auto& r = events.back().result;
  EXPECT_EQ(r.content, "Hello");
  EXPECT_EQ(r.finish_reason, "stop");
  EXPECT_EQ(r.usage.prompt_tokens, 7);
  EXPECT_EQ(r.usage.completion_tokens, 2);
  EXPECT_FALSE(r.usage.estimated);
  ASSERT_TRUE(r.cost_usd);
  EXPECT_DOUBLE_EQ(*r.cost_usd, 7 * 0.001 + 2 * 0.002);
  const auto reqs = fetcher_.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_NE(reqs[0].body.find("\"stream\":true"), std::string::npos);
  EXPECT_NE(reqs[0].body.find("\"include_usage\":true"), std::string::npos);
}

TEST_F(GatewayTest, UsageIsCountedWhenTheUpstreamGivesNone) {
  gateway_.AddUpstream(Upstream("one", "http://one/v1", {"m"}));
  fetcher_.Push({.pieces = ChatStream({"abcdefgh"}, false)});
  Recorder rec;
  ASSERT_TRUE(gateway_.Stream(Ask("m", "twelve chars"), rec.Sink()));
  ASSERT_TRUE(rec.WaitEnd());
  EXPECT_EQ(rec.Types(), "started,delta,done");
  const auto& u = rec.Last().result.usage;
  EXPECT_TRUE(u.estimated);
  EXPECT_EQ(u.prompt_tokens, 3);
  EXPECT_EQ(u.completion_tokens, 2);
  EXPECT_EQ(u.total_tokens, 5);
  EXPECT_FALSE(rec.Last().result.cost_usd);  // no pricing known
}

TEST_F(GatewayTest, RetriesWithBackoffBeforeTheFirstToken) {
  gateway_.AddUpstream(Upstream("one", "http://one/v1", {"m"}));
  fetcher_.Push({.status = 500, .pieces = {R"({"error":{"message":"x"}})"}});
  fetcher_.Push({.refuse = true});
  fetcher_.Push({.pieces = ChatStream({"ok"})});
  Recorder rec;
  ASSERT_TRUE(gateway_.Stream(Ask("m"), rec.Sink()));
  ASSERT_TRUE(rec.WaitEnd());
  EXPECT_EQ(rec.Last().type, GenerationEventType::kDone);
  EXPECT_EQ(rec.Last().result.content, "ok");
  const auto reqs = fetcher_.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].start_delay, 0ms);
  EXPECT_EQ(reqs[1].start_delay, 10ms);
  EXPECT_EQ(reqs[2].start_delay, 20ms);
}

TEST_F(GatewayTest, GivesUpAfterTheRetriesWithTheUpstreamsError) {
  auto up = Upstream("one", "http://one/v1", {"m"});
  up.max_retries = 1;
  gateway_.AddUpstream(up);
  fetcher_.Push({.status = 429, .headers = {{"Retry-After", "2"}}, .pieces = {"{}"}});
  fetcher_.Push({.status = 429, .pieces = {"{}"}});
  Recorder rec;
  ASSERT_TRUE(gateway_.Stream(Ask("m"), rec.Sink()));
  ASSERT_TRUE(rec.WaitEnd(10s));
  EXPECT_EQ(rec.Types(), "error");
  EXPECT_EQ(rec.Last().error->reason(), Reason::kLlmRateLimited);
  const auto reqs = fetcher_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[1].start_delay, 2000ms);  // Retry-After outweighs the backoff

  fetcher_.Push({.status = 400, .pieces = {R"({"error":{"message":"Bad 'top_p'."}})"}});
  Recorder rec2;
  ASSERT_TRUE(gateway_.Stream(Ask("m"), rec2.Sink()));
  ASSERT_TRUE(rec2.WaitEnd());
  EXPECT_EQ(rec2.Last().error->reason(), Reason::kLlmRejected);
  EXPECT_EQ(rec2.Last().error->safe_message(), "Bad 'top_p'.");
  EXPECT_EQ(fetcher_.requests().size(), 3u);  // a 400 is not retried
}

TEST_F(GatewayTest, NeverRetriesAfterTheFirstToken) {
  gateway_.AddUpstream(Upstream("one", "http://one/v1", {"m"}));
  auto pieces = ChatStream({"a", "b", "c"});
  pieces.resize(3);  // role, "a", "b": then the connection breaks
  fetcher_.Push({.pieces = pieces, .break_off = true});
  fetcher_.Push({.pieces = ChatStream({"never"})});
  Recorder rec;
  ASSERT_TRUE(gateway_.Stream(Ask("m"), rec.Sink()));
  ASSERT_TRUE(rec.WaitEnd());
  EXPECT_EQ(rec.Types(), "started,delta,delta,error");
  EXPECT_EQ(rec.Last().error->reason(), Reason::kLlmStreamInterrupted);
  EXPECT_EQ(fetcher_.requests().size(), 1u);
}

TEST_F(GatewayTest, CancelClosesTheUpstreamAndKeepsThePartialAnswer) {
  gateway_.AddUpstream(Upstream("one", "http://one/v1", {"m"}));
  auto pieces = ChatStream({"par", "tial"});
  pieces.resize(3);
  fetcher_.Push({.pieces = pieces, .hang = true});
  Recorder rec;
  auto s = gateway_.Stream(Ask("m"), rec.Sink());
  ASSERT_TRUE(s);
  ASSERT_TRUE(rec.WaitEvents(3));
  (*s)->Cancel();
  ASSERT_TRUE(rec.WaitEnd());
  EXPECT_EQ(rec.Types(), "started,delta,delta,done");
  EXPECT_EQ(rec.Last().result.content, "partial");
  EXPECT_EQ(rec.Last().result.finish_reason, "cancelled");
  EXPECT_EQ(fetcher_.cancels(), 1);
  (*s)->Cancel();  // idempotent
  EXPECT_EQ(rec.events().size(), 4u);
}

TEST_F(GatewayTest, ABoundedQueuePerUpstreamSaysBusyWhenFull) {
  auto up = Upstream("one", "http://one/v1", {"m"});
  up.max_concurrent = 1;
  up.max_queue = 1;
  gateway_.AddUpstream(up);
  fetcher_.Push({.pieces = Opening(), .hang = true});
  fetcher_.Push({.pieces = ChatStream({"second"})});
  Recorder a, b, c;
  auto first = gateway_.Stream(Ask("m"), a.Sink());
  ASSERT_TRUE(first);
  ASSERT_TRUE(a.WaitEvents(1));
  auto second = gateway_.Stream(Ask("m"), b.Sink());
  ASSERT_TRUE(second);  // queued
  auto third = gateway_.Stream(Ask("m"), c.Sink());
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(third.error().reason(), Reason::kLlmBusy);
  EXPECT_EQ(fetcher_.requests().size(), 1u);
  (*first)->Cancel();  // frees the slot: the queued one runs
  ASSERT_TRUE(a.WaitEnd());
  ASSERT_TRUE(b.WaitEnd());
  EXPECT_EQ(b.Last().result.content, "second");
  EXPECT_EQ(fetcher_.requests().size(), 2u);
}

TEST_F(GatewayTest, CancellingAQueuedStreamNeverSendsIt) {
  auto up = Upstream("one", "http://one/v1", {"m"});
  up.max_concurrent = 1;
  gateway_.AddUpstream(up);
  fetcher_.Push({.pieces = Opening(), .hang = true});
  Recorder a, b;
  auto first = gateway_.Stream(Ask("m"), a.Sink());
  ASSERT_TRUE(a.WaitEvents(1));
  auto second = gateway_.Stream(Ask("m"), b.Sink());
  ASSERT_TRUE(second);
  (*second)->Cancel();
  ASSERT_TRUE(b.WaitEnd());
  EXPECT_EQ(b.Types(), "done");
  EXPECT_EQ(b.Last().result.finish_reason, "cancelled");
  (*first)->Cancel();
  ASSERT_TRUE(a.WaitEnd());
  EXPECT_EQ(fetcher_.requests().size(), 1u);
}

TEST_F(GatewayTest, BlockingGenerateRetriesAndEstimatesUsage) {
  gateway_.AddUpstream(Upstream("one", "http://one/v1", {"m"}));
  fetcher_.Push({.status = 503, .pieces = {"{}"}});
  fetcher_.Push({.pieces = {R"({"choices":[{"message":{"content":"abcd"},"finish_reason":"stop"}]})"}});
  auto r = gateway_.Generate(Ask("m", "abcdefgh"));
  ASSERT_TRUE(r) << r.error().internal_message();
  EXPECT_EQ(r->content, "abcd");
  EXPECT_TRUE(r->usage.estimated);
  EXPECT_EQ(r->usage.prompt_tokens, 2);
  EXPECT_EQ(r->usage.completion_tokens, 1);
  EXPECT_EQ(fetcher_.requests().size(), 2u);

  fetcher_.Push({.status = 500, .pieces = {"{}"}});
  fetcher_.Push({.status = 500, .pieces = {"{}"}});
  fetcher_.Push({.status = 500, .pieces = {"{}"}});
  auto down = gateway_.Generate(Ask("m"));
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().reason(), Reason::kLlmUnavailable);
  EXPECT_EQ(fetcher_.requests().size(), 5u);
}

TEST_F(GatewayTest, EmbeddingsGoThroughTheSameUpstreams) {
  gateway_.AddUpstream(Upstream("one", "http://one/v1", {"emb"}));
  fetcher_.Push(
      {.pieces = {R"({"data":[{"index":0,"embedding":[1,0]}],"usage":{"prompt_tokens":2,"total_tokens":2}})"}});
  EmbeddingRequest e;
  e.model = "emb";
  e.inputs = {"a b"};
  auto r = gateway_.Embed(e);
  ASSERT_TRUE(r) << r.error().internal_message();
  EXPECT_EQ(r->vectors, (std::vector<std::vector<double>>{{1, 0}}));
  EXPECT_EQ(r->usage.total_tokens, 2);
  EXPECT_EQ(fetcher_.requests()[0].url, "http://one/v1/embeddings");
}

TEST_F(GatewayTest, ImagesGoThroughTheSameUpstreams) {
  gateway_.AddUpstream(Upstream("one", "http://one/v1", {"img"}));
  fetcher_.Push({.pieces = {R"({"created":1,"data":[{"b64_json":"iVBORw0KGgo="}]})"}});
  ImageRequest r;
  r.model = "img";
  r.prompt = "a red square";
  r.size = "256x256";
  auto images = gateway_.GenerateImage(r);
  ASSERT_TRUE(images) << images.error().internal_message();
  ASSERT_EQ(images->images.size(), 1u);
  EXPECT_EQ(images->images[0].b64_png, "iVBORw0KGgo=");
  const auto req = fetcher_.requests().at(0);
  EXPECT_EQ(req.url, "http://one/v1/images/generations");
  EXPECT_NE(req.body.find("\"prompt\":\"a red square\""), std::string::npos);
  EXPECT_NE(req.body.find("\"response_format\":\"b64_json\""), std::string::npos);
}

}  // namespace
}  // namespace atrium::core::llm
