// Webhook signatures (GitHub's published test vector), the verification handshake, the
// Cloud API request a reply becomes, and once-only deliveries on a real SQLite file.

#include "core/messaging/whatsapp.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/messaging/delivery_log.hpp"
#include "storage/sqlite/sqlite_database.hpp"
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
    return net::FetchResponse{status_, "{}", {}};
  }
  std::string url_, content_type_, body_;
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
  EXPECT_EQ(r.error().reason(), "not_configured");
  EXPECT_TRUE(fetcher.url_.empty());
}

TEST(DeliveryLog, AMessageIsNewOnlyOnce) {
  testing::TempDir dir;
  auto db = storage::sqlite::SqliteDatabase::Open({dir.File("atrium.db"), 1});
  ASSERT_TRUE(db);
  ASSERT_TRUE(storage::ApplyMigrations(**db, storage::sqlite::SqliteMigrations()));
  testing::FakeClock clock;
  DeliveryLog log(**db, clock);
  EXPECT_EQ(log.FirstDelivery("whatsapp", "wamid.1").value(), true);
  EXPECT_EQ(log.FirstDelivery("whatsapp", "wamid.1").value(), false);
  EXPECT_EQ(log.FirstDelivery("whatsapp", "wamid.2").value(), true);
  EXPECT_EQ(log.FirstDelivery("other", "wamid.1").value(), true);
}

}  // namespace
}  // namespace atrium::core::messaging
