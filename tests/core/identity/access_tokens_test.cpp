#include "core/identity/access_tokens.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/identity/crypto.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::identity {
namespace {

using namespace std::chrono_literals;

const std::string kKey(32, 'k');
constexpr const char* kHs256Header = R"({"alg":"HS256","typ":"JWT"})";
constexpr std::int64_t kNow = 1714979289;  // FixedNow(), 2024-05-06T07:08:09.123Z, in whole seconds

// A JWT with the given header and payload, signed with HMAC-SHA256 under `key`.
std::string Sign(std::string_view header, std::string_view payload, const std::string& key = kKey) {
  const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  return input + "." + Base64UrlEncode(HmacSha256(key, input));
}

std::string Claims(std::string_view extra = "") {
  return R"({"sub":"u1","sid":"s1","jti":"j1","typ":"access","role":"admin","iat":)" + std::to_string(kNow) +
         R"(,"exp":)" + std::to_string(kNow + 900) + R"(,"iss":"atrium","aud":"atrium")" + std::string(extra) + "}";
}

// The claims without `iss`/`aud`, for the tests that leave one out.
std::string BareClaims(std::string_view extra) {
  return R"({"sub":"u1","sid":"s1","jti":"j1","typ":"access","iat":)" + std::to_string(kNow) + R"(,"exp":)" +
         std::to_string(kNow + 900) + std::string(extra) + "}";
}

std::vector<std::string> Split(const std::string& token) {
  std::vector<std::string> parts;
  std::stringstream in(token);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  return parts;
}

void ExpectInvalid(const Result<AccessClaims>& r, const std::string& what) {
  ASSERT_FALSE(r.ok()) << what;
  EXPECT_EQ(r.error().code(), ErrorCode::kUnauthenticated) << what;
  EXPECT_EQ(r.error().reason(), Reason::kInvalidToken) << what;
  EXPECT_EQ(r.error().safe_message(), "Invalid or malformed token") << what;
}

class AccessTokenCodecTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  AccessTokenCodec codec_{kKey, clock_, random_};
};

TEST_F(AccessTokenCodecTest, IssueThenVerifyRoundTrips) {
  const IssuedToken issued = codec_.Issue("user-1", "session-1", "admin");
  EXPECT_EQ(issued.expires_in, 900);
  EXPECT_EQ(codec_.lifetime(), 900s);
  auto claims = codec_.Verify(issued.token);
  ASSERT_TRUE(claims.ok()) << claims.error().internal_message();
  EXPECT_EQ(claims->user_id, "user-1");
  EXPECT_EQ(claims->session_id, "session-1");
  EXPECT_EQ(claims->token_id, "00010203-0405-4607-8809-0a0b0c0d0e0f");  // the fake's first 16 bytes
  EXPECT_EQ(claims->role, "admin");
  EXPECT_EQ(claims->issued_at, kNow);
  EXPECT_EQ(claims->expires_at, kNow + 900);
  EXPECT_EQ(claims->expires_at - claims->issued_at, 900);
}

TEST_F(AccessTokenCodecTest, TokenIsAnHs256JwtWithTheDocumentedClaims) {
  const auto parts = Split(codec_.Issue("user-1", "session-1", "user").token);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(Base64UrlDecode(parts[0]), std::string(kHs256Header));
  EXPECT_EQ(Base64UrlDecode(parts[1]),
            R"({"sub":"user-1","sid":"session-1","jti":"00010203-0405-4607-8809-0a0b0c0d0e0f","typ":"access",)"
            R"("role":"user","iat":1714979289,"exp":1714980189,"iss":"atrium","aud":"atrium","nbf":1714979289})");
  EXPECT_EQ(parts[2].size(), 43u);
}

TEST_F(AccessTokenCodecTest, EachTokenHasItsOwnId) {
  auto a = codec_.Verify(codec_.Issue("u", "s", "user").token);
  auto b = codec_.Verify(codec_.Issue("u", "s", "user").token);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->token_id, b->token_id);
}

TEST_F(AccessTokenCodecTest, CustomLifetime) {
  AccessTokenCodec codec(kKey, clock_, random_, 60s);
  const IssuedToken issued = codec.Issue("u", "s", "user");
  EXPECT_EQ(issued.expires_in, 60);
  auto claims = codec.Verify(issued.token);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->expires_at - claims->issued_at, 60);
}

TEST_F(AccessTokenCodecTest, HandSignedTokenVerifies) {
  // Proves the helpers below build tokens the codec accepts, so each rejection is about
  // the one thing a test changes.
  auto claims = codec_.Verify(Sign(kHs256Header, Claims()));
  ASSERT_TRUE(claims.ok()) << claims.error().internal_message();
  EXPECT_EQ(claims->user_id, "u1");
  EXPECT_EQ(claims->role, "admin");
}

TEST_F(AccessTokenCodecTest, RoleDefaultsToUser) {
  auto claims = codec_.Verify(Sign(kHs256Header, BareClaims(R"(,"iss":"atrium","aud":"atrium")")));
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->role, "user");
}

TEST_F(AccessTokenCodecTest, RequiresTheIssuer) {
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, BareClaims(R"(,"aud":"atrium")"))), "no iss");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, BareClaims(R"(,"iss":"evil","aud":"atrium")"))), "other iss");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, BareClaims(R"(,"iss":7,"aud":"atrium")"))), "iss not a string");
}

TEST_F(AccessTokenCodecTest, RequiresTheAudience) {
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, BareClaims(R"(,"iss":"atrium")"))), "no aud");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, BareClaims(R"(,"iss":"atrium","aud":"other")"))), "other aud");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, BareClaims(R"(,"iss":"atrium","aud":["a","b"])"))),
                "aud list without it");
  auto listed = codec_.Verify(Sign(kHs256Header, BareClaims(R"(,"iss":"atrium","aud":["other","atrium"])")));
  EXPECT_TRUE(listed.ok()) << "an aud list that names it is accepted";
}

TEST_F(AccessTokenCodecTest, ConfiguredIssuerAndAudienceAreMintedAndRequired) {
  AccessTokenCodec codec(kKey, clock_, random_, AccessTokenOptions{.issuer = "me", .audience = "you"});
  const auto parts = Split(codec.Issue("u", "s", "user").token);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_NE(Base64UrlDecode(parts[1])->find(R"("iss":"me","aud":"you")"), std::string::npos);
  EXPECT_TRUE(codec.Verify(codec.Issue("u", "s", "user").token).ok());
  ExpectInvalid(codec.Verify(codec_.Issue("u", "s", "user").token), "another issuer's token");
  ExpectInvalid(codec_.Verify(codec.Issue("u", "s", "user").token), "a token for another audience");
}

TEST_F(AccessTokenCodecTest, NotBeforeIsCheckedWithTheLeeway) {
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, Claims(R"(,"nbf":)" + std::to_string(kNow + 3600)))), "nbf in 1 h");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, Claims(R"(,"nbf":)" + std::to_string(kNow + 31)))), "nbf in 31 s");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, Claims(R"(,"nbf":"soon")"))), "nbf not a number");
  EXPECT_TRUE(codec_.Verify(Sign(kHs256Header, Claims(R"(,"nbf":)" + std::to_string(kNow + 30)))).ok())
      << "within the 30 s leeway";
  EXPECT_TRUE(codec_.Verify(Sign(kHs256Header, Claims(R"(,"nbf":)" + std::to_string(kNow - 600)))).ok());
}

TEST_F(AccessTokenCodecTest, IssuedInTheFutureIsRefused) {
  // No nbf, but minted for an hour from now: not valid yet either.
  const std::string later = R"({"sub":"u1","sid":"s1","jti":"j1","typ":"access","iat":)" + std::to_string(kNow + 3600) +
                            R"(,"exp":)" + std::to_string(kNow + 4500) + R"(,"iss":"atrium","aud":"atrium"})";
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, later)), "iat in 1 h");
}

TEST_F(AccessTokenCodecTest, RejectsAlgNone) {
  const std::string unsigned_token =
      Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + Base64UrlEncode(Claims()) + ".";
  ExpectInvalid(codec_.Verify(unsigned_token), "alg none, empty signature");
  ExpectInvalid(codec_.Verify(Sign(R"({"alg":"none","typ":"JWT"})", Claims())), "alg none, HS256 signature");
}

TEST_F(AccessTokenCodecTest, RejectsOtherAlgorithmsEvenWithAnHs256Signature) {
  for (const char* header : {R"({"alg":"HS512","typ":"JWT"})", R"({"alg":"RS256","typ":"JWT"})",
                             R"({"alg":"hs256","typ":"JWT"})", R"({"typ":"JWT"})", R"({"alg":256})"}) {
    ExpectInvalid(codec_.Verify(Sign(header, Claims())), header);
  }
}

TEST_F(AccessTokenCodecTest, RejectsAnHs512HeaderSwappedOntoAValidToken) {
  const auto parts = Split(codec_.Issue("u", "s", "user").token);
  ASSERT_EQ(parts.size(), 3u);
  const std::string swapped = Base64UrlEncode(R"({"alg":"HS512","typ":"JWT"})") + "." + parts[1] + "." + parts[2];
  ExpectInvalid(codec_.Verify(swapped), "HS512 header, original signature");
}

TEST_F(AccessTokenCodecTest, RejectsCriticalHeaderExtensions) {
  ExpectInvalid(codec_.Verify(Sign(R"({"alg":"HS256","typ":"JWT","crit":["exp"]})", Claims())), "crit");
}

TEST_F(AccessTokenCodecTest, RejectsATamperedPayload) {
  const auto parts = Split(codec_.Issue("user-1", "session-1", "user").token);
  ASSERT_EQ(parts.size(), 3u);
  std::string payload = *Base64UrlDecode(parts[1]);
  payload.replace(payload.find(R"("role":"user")"), 13, R"("role":"admin")");
  ExpectInvalid(codec_.Verify(parts[0] + "." + Base64UrlEncode(payload) + "." + parts[2]), "role raised");
}

TEST_F(AccessTokenCodecTest, RejectsATamperedSignature) {
  const std::string token = codec_.Issue("u", "s", "user").token;
  std::string bad = token;
  char& c = bad[bad.size() - 5];
  c = c == 'A' ? 'B' : 'A';
  ExpectInvalid(codec_.Verify(bad), "signature changed");
  ExpectInvalid(codec_.Verify(token.substr(0, token.rfind('.') + 1)), "signature removed");
  ExpectInvalid(codec_.Verify(token + "A"), "signature lengthened");
}

TEST_F(AccessTokenCodecTest, RejectsAnotherKey) {
  AccessTokenCodec other(std::string(32, 'x'), clock_, random_);
  ExpectInvalid(codec_.Verify(other.Issue("u", "s", "user").token), "other codec");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, Claims(), kKey + "x")), "longer key");
}

TEST_F(AccessTokenCodecTest, RejectsTheWrongNumberOfSegments) {
  const std::string token = codec_.Issue("u", "s", "user").token;
  const auto parts = Split(token);
  ASSERT_EQ(parts.size(), 3u);
  ExpectInvalid(codec_.Verify(""), "empty");
  ExpectInvalid(codec_.Verify(parts[0]), "one segment");
  ExpectInvalid(codec_.Verify(parts[0] + "." + parts[1]), "two segments");
  ExpectInvalid(codec_.Verify(token + "." + parts[2]), "four segments");
  ExpectInvalid(codec_.Verify(token + "."), "trailing dot");
  ExpectInvalid(codec_.Verify(".."), "only dots");
}

TEST_F(AccessTokenCodecTest, RejectsSegmentsThatAreNotBase64UrlJsonObjects) {
  ExpectInvalid(codec_.Verify(Sign("not json", Claims())), "header not JSON");
  ExpectInvalid(codec_.Verify(Sign(R"(["HS256"])", Claims())), "header not an object");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, "not json")), "payload not JSON");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, "[1,2]")), "payload not an object");
  const std::string token = codec_.Issue("u", "s", "user").token;
  ExpectInvalid(codec_.Verify("=" + token), "padding in the header");
}

TEST_F(AccessTokenCodecTest, AcceptsUpTo4096BytesAndNoMore) {
  // The fixed parts take 81 bytes (36 header, 43 signature, two dots): pad the payload
  // to the exact total wanted.
  auto token_of_size = [](std::size_t size) {
    for (std::size_t pad = 0; pad < 4096; ++pad) {
      std::string token = Sign(kHs256Header, Claims(R"(,"pad":")" + std::string(pad, 'p') + "\""));
      if (token.size() == size) return token;
      if (token.size() > size) break;
    }
    return std::string();
  };
  const std::string at_limit = token_of_size(4096);
  const std::string over_limit = token_of_size(4097);
  ASSERT_EQ(at_limit.size(), 4096u);
  ASSERT_EQ(over_limit.size(), 4097u);
  EXPECT_TRUE(codec_.Verify(at_limit).ok());
  ExpectInvalid(codec_.Verify(over_limit), "4097 bytes");
  ExpectInvalid(codec_.Verify(std::string(100000, 'a')), "100000 bytes");
}

TEST_F(AccessTokenCodecTest, RejectsTokensThatAreNotAccessTokens) {
  const std::string base =
      R"({"sub":"u1","sid":"s1","jti":"j1","iat":)" + std::to_string(kNow) + R"(,"exp":)" + std::to_string(kNow + 900);
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, base + R"(,"typ":"refresh"})")), "typ refresh");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, base + R"(,"typ":"Access"})")), "typ Access");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, base + R"(,"typ":1})")), "typ number");
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, base + "}")), "typ missing");
}

TEST_F(AccessTokenCodecTest, RejectsMissingOrMistypedClaims) {
  const std::vector<std::pair<std::string, std::string>> claims = {{"sub", R"("u1")"},
                                                                   {"sid", R"("s1")"},
                                                                   {"jti", R"("j1")"},
                                                                   {"typ", R"("access")"},
                                                                   {"iat", std::to_string(kNow)},
                                                                   {"exp", std::to_string(kNow + 900)},
                                                                   {"iss", R"("atrium")"},
                                                                   {"aud", R"("atrium")"}};
  auto object = [](const std::vector<std::string>& members) {
    std::string out = "{";
    for (const auto& m : members) out += (out.size() > 1 ? "," : "") + m;
    return out + "}";
  };
  std::vector<std::string> all;
  for (const auto& [name, value] : claims) all.push_back("\"" + name + "\":" + value);
  ASSERT_TRUE(codec_.Verify(Sign(kHs256Header, object(all))).ok());
  for (std::size_t skip = 0; skip < claims.size(); ++skip) {
    std::vector<std::string> without, mistyped;
    for (std::size_t i = 0; i < claims.size(); ++i) {
      const auto& [name, value] = claims[i];
      const std::string other = value.front() == '"' ? "42" : "\"42\"";
      if (i != skip) without.push_back("\"" + name + "\":" + value);
      mistyped.push_back("\"" + name + "\":" + (i == skip ? other : value));
    }
    ExpectInvalid(codec_.Verify(Sign(kHs256Header, object(without))), "without " + claims[skip].first);
    ExpectInvalid(codec_.Verify(Sign(kHs256Header, object(mistyped))), "mistyped " + claims[skip].first);
  }
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, R"({"sub":"u1","sid":"s1","jti":"j1","typ":"access","iat":1.5,)"
                                                 R"("exp":1e12})")),
                "fractional times");
}

TEST_F(AccessTokenCodecTest, ExpiresAfterItsLifetime) {
  const std::string token = codec_.Issue("u", "s", "user").token;
  clock_.Advance(899s);
  EXPECT_TRUE(codec_.Verify(token).ok());
  clock_.Advance(1s);
  auto expired = codec_.Verify(token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(expired.error().reason(), Reason::kTokenExpired);
  EXPECT_EQ(expired.error().safe_message(), "Token has expired");
}

TEST_F(AccessTokenCodecTest, AForgedExpiredTokenIsInvalidNotExpired) {
  // Expiry is only reported for tokens whose signature checks out.
  const std::string payload =
      R"({"sub":"u1","sid":"s1","jti":"j1","typ":"access","iat":1,"exp":2,"iss":"atrium","aud":"atrium"})";
  auto real = codec_.Verify(Sign(kHs256Header, payload));
  ASSERT_FALSE(real.ok());
  EXPECT_EQ(real.error().reason(), Reason::kTokenExpired);
  ExpectInvalid(codec_.Verify(Sign(kHs256Header, payload, std::string(32, 'z'))), "forged and expired");
}

class LoadSigningKeyTest : public ::testing::Test {
 protected:
  std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  testing::TempDir dir_;
  testing::FakeRandom random_;
};

TEST_F(LoadSigningKeyTest, ConfiguredKeyShorterThan32BytesIsRefused) {
  auto key = LoadSigningKey(std::string(31, 's'), dir_.File("jwt.key"), random_);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(key.error().safe_message(), "security.jwt_secret: must be at least 32 bytes");
  EXPECT_FALSE(std::filesystem::exists(dir_.File("jwt.key")));
}

TEST_F(LoadSigningKeyTest, ConfiguredKeyIsUsedAsIs) {
  const std::string configured = std::string(40, 's') + " with spaces ";
  auto key = LoadSigningKey(configured, dir_.File("jwt.key"), random_);
  ASSERT_TRUE(key.ok()) << key.error().internal_message();
  EXPECT_EQ(*key, configured);
  auto exactly32 = LoadSigningKey(std::string(32, 's'), dir_.File("jwt.key"), random_);
  ASSERT_TRUE(exactly32.ok());
  EXPECT_EQ(*exactly32, std::string(32, 's'));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("jwt.key")));
  EXPECT_EQ(random_.calls(), 0);
}

TEST_F(LoadSigningKeyTest, CreatesAKeyFileWithMode0600) {
  const std::string path = dir_.File("jwt.key");
  auto key = LoadSigningKey("", path, random_);
  ASSERT_TRUE(key.ok()) << key.error().internal_message();
  // 32 bytes from the fake (00 01 .. 1f), as 64 lower-case hex characters.
  EXPECT_EQ(*key, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  EXPECT_EQ(ReadFile(path), *key + "\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST_F(LoadSigningKeyTest, ReusesTheKeyFileOnTheNextStart) {
  const std::string path = dir_.File("jwt.key");
  auto first = LoadSigningKey("", path, random_);
  ASSERT_TRUE(first.ok());
  const int draws = random_.calls();
  auto second = LoadSigningKey("", path, random_);
  ASSERT_TRUE(second.ok()) << second.error().internal_message();
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(random_.calls(), draws);
}

TEST_F(LoadSigningKeyTest, AnExistingKeyFileIsReadWithoutItsLineEnd) {
  const std::string path = dir_.File("jwt.key");
  std::ofstream(path) << std::string(32, 'q') << " \r\n";
  auto key = LoadSigningKey("", path, random_);
  ASSERT_TRUE(key.ok()) << key.error().internal_message();
  EXPECT_EQ(*key, std::string(32, 'q'));
}

TEST_F(LoadSigningKeyTest, ShortKeyFileIsRefused) {
  const std::string path = dir_.File("jwt.key");
  std::ofstream(path) << std::string(31, 'q') << "\n";
  auto key = LoadSigningKey("", path, random_);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(key.error().safe_message(), "security.jwt_key_file: '" + path + "' holds fewer than 32 bytes");
  EXPECT_EQ(ReadFile(path), std::string(31, 'q') + "\n");  // left alone
}

TEST_F(LoadSigningKeyTest, UncreatableKeyFileIsUnavailable) {
  const std::string path = dir_.File("missing-dir/jwt.key");
  auto key = LoadSigningKey("", path, random_);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(key.error().safe_message(), "security.jwt_key_file: cannot create '" + path + "'");
}

}  // namespace
}  // namespace atrium::core::identity
