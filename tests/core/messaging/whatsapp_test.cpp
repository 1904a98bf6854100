// Webhook signatures (GitHub's published test vector), the verification handshake, the
// Cloud API request a reply becomes, and once-only deliveries on a real SQLite file.

#include "core/messaging/whatsapp.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/messaging/delivery_log.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::messaging {
namespace {

constexpr const char* kSecret = "It's a Secret to Everybody";
constexpr const char* kBody = "Hello, World!";
constexpr const char* kSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

TEST(WhatsAppSignature, GitHubTestVectorVerifies) { EXPECT_TRUE(SignatureValid(kSecret, kBody, kSignature)); }

TEST(WhatsAppSignature, UppercaseHexVerifies) {
  EXPECT_TRUE(
      SignatureValid(kSecret, kBody, "sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17"));
}

TEST(WhatsAppSignature, AnythingElseFails) {
  EXPECT_FALSE(SignatureValid(kSecret, "Hello, World?", kSignature));
  EXPECT_FALSE(SignatureValid("another secret", kBody, kSignature));
  EXPECT_FALSE(
      SignatureValid(kSecret, kBody, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18"));
  EXPECT_FALSE(SignatureValid(kSecret, kBody, "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
  EXPECT_FALSE(SignatureValid(kSecret, kBody, "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
  EXPECT_FALSE(SignatureValid(kSecret, kBody, "sha256=757107"));
  EXPECT_FALSE(SignatureValid(kSecret, kBody, ""));
  EXPECT_FALSE(SignatureValid("", kBody, kSignature));
}

TEST(WhatsAppVerification, EchoesTheChallengeOnlyWithTheRightToken) {
  WhatsAppSettings s;
  s.verify_token = "my-verify-token";
  EXPECT_EQ(VerificationChallenge(s, "subscribe", "my-verify-token", "challenge123"), "challenge123");
  EXPECT_EQ(VerificationChallenge(s, "subscribe", "wrong", "challenge123"), std::nullopt);
  EXPECT_EQ(VerificationChallenge(s, "unsubscribe", "my-verify-token", "challenge123"), std::nullopt);
  s.verify_token.clear();
  EXPECT_EQ(VerificationChallenge(s, "subscribe", "", "challenge123"), std::nullopt);
}

class RecordingFetcher final : public net::HttpFetcher {
 public:
  Result<net::FetchResponse> Get(const std::string&, const std::vector<std::pair<std::string, std::string>>&,
                                 std::chrono::milliseconds) override {
    return Error(ErrorCode::kInternal, "unexpected GET");
  }
  Result<net::FetchResponse> Send(const net::FetchRequest& request) override {
    if (request.method != "POST") return Error(ErrorCode::kInternal, "unexpected " + request.method);
    url_ = request.url;
    for (const auto& [name, value] : request.headers) {
      if (name == "Content-Type") {
        content_type_ = value;
      } else {
        headers_.emplace_back(name, value);
      }
    }
    body_ = request.body;
    bodies_.push_back(request.body);
    if (!statuses_.empty()) {
      const int status = statuses_.front();
      statuses_.erase(statuses_.begin());
      return net::FetchResponse{status, "{}", {}};
    }
    return net::FetchResponse{status_, "{}", {}};
  }
  std::string url_, content_type_, body_;
  std::vector<std::string> bodies_;
  std::vector<int> statuses_;  // answered first, one per request, then status_
  std::vector<std::pair<std::string, std::string>> headers_;
  int status_ = 200;
};

TEST(WhatsAppClient, SendsTheCloudApiTextMessage) {
  RecordingFetcher fetcher;
  WhatsAppSettings s;
  s.access_token = "token-1";
  s.phone_number_id = "1065";
  s.api_base_url = "http://127.0.0.1:9/v21.0/";
  WhatsAppClient client(s, fetcher);
  ASSERT_TRUE(client.SendText("+1234567890", "Hi there"));
  EXPECT_EQ(fetcher.url_, "http://127.0.0.1:9/v21.0/1065/messages");
  EXPECT_EQ(fetcher.content_type_, "application/json");
  ASSERT_EQ(fetcher.headers_.size(), 1u);
  EXPECT_EQ(fetcher.headers_[0].first, "Authorization");
  EXPECT_EQ(fetcher.headers_[0].second, "Bearer token-1");
  EXPECT_EQ(boost::json::parse(fetcher.body_), boost::json::parse(R"({"messaging_product":"whatsapp",
      "recipient_type":"individual","to":"+1234567890","type":"text",
      "text":{"preview_url":false,"body":"Hi there"}})"));
  fetcher.status_ = 401;
  const auto refused = client.SendText("+1", "x");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().safe_message(), "WhatsApp API refused the message");
}

TEST(WhatsAppClient, RefusesWhenNotConfigured) {
  RecordingFetcher fetcher;
  WhatsAppClient client(WhatsAppSettings{}, fetcher);
  const auto r = client.SendText("+1", "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason(), Reason::kNotConfigured);
  EXPECT_TRUE(fetcher.url_.empty());
}

std::string TextOf(const std::string& body) {
  return std::string(boost::json::parse(body).at("text").at("body").as_string());
}

// UTF-16 code units of `s` (valid UTF-8).
std::size_t Units(std::string_view s) {
  std::size_t n = 0;
  for (const unsigned char c : s) {
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

bool ValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

TEST(WhatsAppClient, ALongReplyGoesAsSeveralMessagesInOrder) {
  RecordingFetcher fetcher;
  WhatsAppSettings s;
  s.access_token = "token-1";
  s.phone_number_id = "1065";
  s.api_base_url = "http://127.0.0.1:9/v21.0";
  WhatsAppClient client(s, fetcher);
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += (i ? "\n\n" : "") + ("Paragraph " + std::to_string(i) + ": ") + std::string(40, 'x');
  }
  ASSERT_GT(text.size(), 4 * kMaxTextUnits);
  ASSERT_TRUE(client.SendText("+1234567890", text));
  ASSERT_EQ(fetcher.bodies_.size(), 5u);
  std::string joined;
  for (const auto& b : fetcher.bodies_) {
    const auto part = TextOf(b);
    EXPECT_LE(Units(part), kMaxTextUnits);
    EXPECT_EQ(part.substr(0, 10), "Paragraph ");  // cut between paragraphs
    EXPECT_EQ(part.back(), 'x');
    joined += (joined.empty() ? "" : "\n\n") + part;
  }
  EXPECT_EQ(joined, text);
  EXPECT_EQ(TextOf(fetcher.bodies_[0]).substr(0, 13), "Paragraph 0: ");
}

TEST(WhatsAppClient, AFailedPartStopsTheRest) {
  RecordingFetcher fetcher;
  fetcher.statuses_ = {200, 500};
  WhatsAppSettings s;
  s.access_token = "t";
  s.phone_number_id = "1";
  s.api_base_url = "http://127.0.0.1:9";
  WhatsAppClient client(s, fetcher);
  const auto r = client.SendText("+1", std::string(3 * kMaxTextUnits, 'a'));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().safe_message(), "WhatsApp API refused the message");
  EXPECT_EQ(fetcher.bodies_.size(), 2u);
}

TEST(WhatsAppSplitText, TextThatFitsIsOnePartUnchanged) {
  EXPECT_EQ(SplitText("Hi there\n\n"), std::vector<std::string>{"Hi there\n\n"});
  EXPECT_EQ(SplitText(std::string(kMaxTextUnits, 'a')).size(), 1u);
  EXPECT_EQ(SplitText(""), std::vector<std::string>{""});
}

TEST(WhatsAppSplitText, PrefersParagraphsThenLinesThenWords) {
  EXPECT_EQ(SplitText("aaa bbb\nccc\n\nddd eee", 16), (std::vector<std::string>{"aaa bbb\nccc", "ddd eee"}));
  EXPECT_EQ(SplitText("aaa bbb\nccc ddd eee", 16), (std::vector<std::string>{"aaa bbb", "ccc ddd eee"}));
  EXPECT_EQ(SplitText("aaa bbb ccc ddd eee", 10), (std::vector<std::string>{"aaa bbb", "ccc ddd", "eee"}));
  // A break exactly after the limit still counts: the break itself is not sent.
  EXPECT_EQ(SplitText("abcd efgh", 4), (std::vector<std::string>{"abcd", "efgh"}));
  // No break at all: cut at the limit.
  EXPECT_EQ(SplitText("abcdefghij", 4), (std::vector<std::string>{"abcd", "efgh", "ij"}));
  // CRLF line ends and indentation of the next line are kept apart correctly.
  EXPECT_EQ(SplitText("line one\r\n  two", 12), (std::vector<std::string>{"line one", "  two"}));
}

TEST(WhatsAppSplitText, NeverCutsInsideAUtf8Sequence) {
  // "ä" is 2 bytes / 1 unit, "€" 3 bytes / 1 unit, "😀" 4 bytes / 2 units.
  const std::string text = std::string("ä€😀") + "ä€😀ä€😀ä€😀ä€😀";
  for (std::size_t limit = 1; limit <= 12; ++limit) {
    std::string joined;
    for (const auto& part : SplitText(text, limit)) {
      EXPECT_TRUE(ValidUtf8(part)) << limit;
      EXPECT_LE(Units(part), std::max<std::size_t>(limit, 2)) << limit;
      EXPECT_FALSE(part.empty()) << limit;
      joined += part;
    }
    EXPECT_EQ(joined, text) << limit;
  }
  const auto parts = SplitText(std::string(kMaxTextUnits - 1, 'a') + "😀b");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1], "😀b");
}

TEST(WhatsAppSenders, NumbersAreComparedAsDigits) {
  EXPECT_EQ(NormalizePhone("+49 151 1234-5678"), "4915112345678");
  EXPECT_EQ(NormalizePhone("4915112345678"), "4915112345678");
  EXPECT_EQ(NormalizePhone("(030) 1234.567"), "0301234567");
  EXPECT_EQ(NormalizePhone("49+151"), "");
  EXPECT_EQ(NormalizePhone("++4915112345678"), "");
  EXPECT_EQ(NormalizePhone("491511234567x"), "");
  EXPECT_EQ(NormalizePhone("123456"), "");
  EXPECT_EQ(NormalizePhone("1234567890123456"), "");
  WhatsAppSettings s;
  s.allowed_senders = {{"4915112345678", "user-a"}, {"15550001111", "user-b"}};
  EXPECT_EQ(UserForSender(s, "4915112345678"), "user-a");
  EXPECT_EQ(UserForSender(s, "+49 151 12345678"), "user-a");
  EXPECT_EQ(UserForSender(s, "+15550001111"), "user-b");
  EXPECT_EQ(UserForSender(s, "+15550001112"), std::nullopt);
  EXPECT_EQ(UserForSender(s, ""), std::nullopt);
  EXPECT_EQ(UserForSender(WhatsAppSettings{}, "+15550001111"), std::nullopt);
}

TEST(DeliveryLog, AMessageIsNewOnlyOnce) {
  testing::TempDir dir;
  auto db = storage::sqlite::SqliteDatabase::Open({dir.File("atrium.db"), 1});
  ASSERT_TRUE(db);
  ASSERT_TRUE(storage::ApplyMigrations(**db, storage::sqlite::SqliteMigrations()));
  testing::FakeClock clock;
  testing::FakeRandom random;
  auto stores = storage::sqlite::OpenRepositories(**db, clock, random);
  DeliveryLog log(stores->repos(), clock);
  EXPECT_EQ(log.FirstDelivery("whatsapp", "wamid.1").value(), true);
  EXPECT_EQ(log.FirstDelivery("whatsapp", "wamid.1").value(), false);
  EXPECT_EQ(log.FirstDelivery("whatsapp", "wamid.2").value(), true);
  EXPECT_EQ(log.FirstDelivery("other", "wamid.1").value(), true);
}

}  // namespace
}  // namespace atrium::core::messaging
