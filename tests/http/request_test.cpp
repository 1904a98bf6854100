#include "http/request.hpp"

#include <gtest/gtest.h>

namespace atrium::http {
namespace {

TEST(PercentDecodeTest, DecodesEscapes) {
  EXPECT_EQ(PercentDecode("a%20b", false), "a b");
  EXPECT_EQ(PercentDecode("%41%62%2f%2F", false), "Ab//");
  EXPECT_EQ(PercentDecode("caf%C3%A9", false), "caf\xc3\xa9");
  EXPECT_EQ(PercentDecode("%00", false), std::string(1, '\0'));
  EXPECT_EQ(PercentDecode("%%41", false), "%A");
  EXPECT_EQ(PercentDecode("", false), "");
}

TEST(PercentDecodeTest, MalformedEscapesAreKeptLiterally) {
  EXPECT_EQ(PercentDecode("%", false), "%");
  EXPECT_EQ(PercentDecode("100%", false), "100%");
  EXPECT_EQ(PercentDecode("%4", false), "%4");
  EXPECT_EQ(PercentDecode("a%4", false), "a%4");
  EXPECT_EQ(PercentDecode("%zz", false), "%zz");
  EXPECT_EQ(PercentDecode("%4g", false), "%4g");
  EXPECT_EQ(PercentDecode("%g4", false), "%g4");
  EXPECT_EQ(PercentDecode("%%", false), "%%");
  EXPECT_EQ(PercentDecode("%-1%+1", true), "%-1% 1");
}

TEST(PercentDecodeTest, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a%2Bb", true), "a+b");  // an encoded plus stays a plus
}

TEST(RequestTest, QueryParam) {
  Request r;
  r.query = "a=1&b=hello+world&c=%26x%3D&d&e=&a=2&x%20y=sp&&last=%";
  EXPECT_EQ(r.QueryParam("a"), "1");  // the first of several
  EXPECT_EQ(r.QueryParam("b"), "hello world");
  EXPECT_EQ(r.QueryParam("c"), "&x=");
  EXPECT_EQ(r.QueryParam("d"), "");  // present without a value
  EXPECT_EQ(r.QueryParam("e"), "");
  EXPECT_EQ(r.QueryParam("x y"), "sp");  // keys are decoded too
  EXPECT_EQ(r.QueryParam("last"), "%");
  EXPECT_EQ(r.QueryParam("missing"), std::nullopt);
  EXPECT_EQ(r.QueryParam("A"), std::nullopt);  // case-sensitive
}

TEST(RequestTest, QueryParamOnEmptyQuery) {
  Request r;
  EXPECT_EQ(r.QueryParam("a"), std::nullopt);
}

TEST(RequestTest, ValueMayContainEquals) {
  Request r;
  r.query = "token=abc==";
  EXPECT_EQ(r.QueryParam("token"), "abc==");
}

TEST(RequestTest, ParamAndHeader) {
  Request r;
  r.params = {{"id", "42"}, {"name", "a b"}};
  r.headers.Add("Content-Type", "application/json");
  EXPECT_EQ(r.Param("id"), "42");
  EXPECT_EQ(r.Param("name"), "a b");
  EXPECT_EQ(r.Param("missing"), std::nullopt);
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("Accept"), std::nullopt);
}

}  // namespace
}  // namespace atrium::http

namespace atrium::http {
namespace {

Request From(std::string remote, std::vector<std::string> forwarded = {}) {
  Request r;
  r.remote_address = std::move(remote);
  for (auto& f : forwarded) r.headers.Add("X-Forwarded-For", f);
  return r;
}

const std::vector<std::string> kProxies = {"10.0.0.1", "10.0.0.2"};

TEST(ClientAddressTest, UntrustedPeerIsTheClient) {
  EXPECT_EQ(ClientAddress(From("203.0.113.9", {"198.51.100.1"}), kProxies), "203.0.113.9");
  EXPECT_EQ(ClientAddress(From("203.0.113.9", {"198.51.100.1"}), {}), "203.0.113.9");
}

TEST(ClientAddressTest, TrustedPeerWithoutForwardedForIsTheClient) {
  EXPECT_EQ(ClientAddress(From("10.0.0.1"), kProxies), "10.0.0.1");
}

TEST(ClientAddressTest, RightMostUntrustedHopWins) {
  EXPECT_EQ(ClientAddress(From("10.0.0.1", {"198.51.100.1"}), kProxies), "198.51.100.1");
  // The client wrote the left-most entry itself; only hops added by trusted proxies count.
  EXPECT_EQ(ClientAddress(From("10.0.0.1", {"6.6.6.6, 198.51.100.1, 10.0.0.2"}), kProxies), "198.51.100.1");
  EXPECT_EQ(ClientAddress(From("10.0.0.1", {" 198.51.100.1 ,  , 10.0.0.2 "}), kProxies), "198.51.100.1");
}

TEST(ClientAddressTest, OnlyTrustedHopsFallBackToThePeer) {
  EXPECT_EQ(ClientAddress(From("10.0.0.1", {"10.0.0.2"}), kProxies), "10.0.0.1");
  EXPECT_EQ(ClientAddress(From("10.0.0.1", {" , "}), kProxies), "10.0.0.1");
}

TEST(ClientAddressTest, SeveralForwardedForFieldsAreOneList) {
  // A proxy that appends its own field after the client's: the client's field must not win.
  EXPECT_EQ(ClientAddress(From("10.0.0.1", {"6.6.6.6", "198.51.100.1"}), kProxies), "198.51.100.1");
  EXPECT_EQ(ClientAddress(From("10.0.0.1", {"6.6.6.6", "198.51.100.1", "10.0.0.2"}), kProxies), "198.51.100.1");
  Request lower = From("10.0.0.1", {"6.6.6.6"});
  lower.headers.Add("x-forwarded-for", "198.51.100.7");
  EXPECT_EQ(ClientAddress(lower, kProxies), "198.51.100.7");
}

TEST(BearerTokenTest, ReadsTheToken) {
  Request r;
  r.headers.Add("Authorization", "Bearer abc.def.ghi");
  EXPECT_EQ(BearerToken(r), "abc.def.ghi");
  Request lower;
  lower.headers.Add("authorization", "bearer   tok  ");
  EXPECT_EQ(BearerToken(lower), "tok");
}

TEST(BearerTokenTest, MissingOrOtherSchemes) {
  EXPECT_EQ(BearerToken(Request{}), std::nullopt);
  for (const char* value : {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer    ", "Bearerabc", "Token abc", ""}) {
    Request r;
    r.headers.Add("Authorization", value);
    EXPECT_EQ(BearerToken(r), std::nullopt) << "'" << value << "'";
  }
}

}  // namespace
}  // namespace atrium::http
