#include "storage/redis/redis_endpoint.hpp"

#include <gtest/gtest.h>

namespace atrium::storage::redis {
namespace {

TEST(RedisUrl, HostPortAndDatabase) {
  auto e = ParseRedisUrl("redis://10.0.0.5:6380/3");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "10.0.0.5");
  EXPECT_EQ(e->port, 6380);
  EXPECT_EQ(e->database, 3);
  EXPECT_TRUE(e->password.empty());
}

TEST(RedisUrl, DefaultsAndCredentials) {
  auto plain = ParseRedisUrl("redis://cache");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->host, "cache");
  EXPECT_EQ(plain->port, 6379);
  EXPECT_EQ(plain->database, 0);

  auto password = ParseRedisUrl("redis://:s3cret@127.0.0.1:6379/0");
  ASSERT_TRUE(password.ok());
  EXPECT_EQ(password->user, "");
  EXPECT_EQ(password->password, "s3cret");

  auto acl = ParseRedisUrl("redis://atrium:pw@[::1]:7000");
  ASSERT_TRUE(acl.ok());
  EXPECT_EQ(acl->user, "atrium");
  EXPECT_EQ(acl->password, "pw");
  EXPECT_EQ(acl->host, "::1");
  EXPECT_EQ(acl->port, 7000);
}

TEST(RedisUrl, RefusesOtherSchemesAndBadNumbers) {
  const auto scheme = ParseRedisUrl("rediss://host:6379");
  ASSERT_FALSE(scheme.ok());
  EXPECT_EQ(scheme.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(scheme.error().safe_message(), "must be a redis://host:port/db URL");
  const auto port = ParseRedisUrl("redis://host:0");
  ASSERT_FALSE(port.ok());
  EXPECT_EQ(port.error().safe_message(), "the port must be a number from 1 to 65535");
  const auto db = ParseRedisUrl("redis://host:6379/x");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().safe_message(), "the database must be a number from 0 to 15");
  EXPECT_FALSE(ParseRedisUrl("redis://:6379").ok());
}

}  // namespace
}  // namespace atrium::storage::redis
