#include "storage/postgres/pg_value.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace atrium::storage::postgres {
namespace {

TEST(PgValue, DecodesIntegersRealsBooleansAndBytea) {
  EXPECT_EQ(DecodeText(kInt2Oid, "-7"), Value{std::int64_t{-7}});
  EXPECT_EQ(DecodeText(kInt8Oid, "9223372036854775807"), Value{std::int64_t{9223372036854775807}});
  EXPECT_EQ(DecodeText(kFloat8Oid, "0.25"), Value{0.25});
  EXPECT_EQ(DecodeText(kNumericOid, "12.5"), Value{12.5});
  EXPECT_TRUE(std::isinf(std::get<double>(DecodeText(kFloat8Oid, "-Infinity"))));
  EXPECT_EQ(DecodeText(kBoolOid, "t"), Value{std::int64_t{1}});
  EXPECT_EQ(DecodeText(kBoolOid, "f"), Value{std::int64_t{0}});
  EXPECT_EQ(DecodeText(kByteaOid, "\\x00ff41"), Value{std::string("\0\xff"
                                                                  "A",
                                                                  3)});
  EXPECT_EQ(DecodeText(25, "plain"), Value{std::string("plain")});
}

TEST(PgValue, DeclaresNumbersAndLetsTheServerTypeStrings) {
  EXPECT_EQ(DeclaredType(Value{std::int64_t{1}}), kInt8Oid);
  EXPECT_EQ(DeclaredType(Value{1.5}), kFloat8Oid);
  EXPECT_EQ(DeclaredType(Value{std::string("x")}), kUnknownOid);
  EXPECT_EQ(DeclaredType(Value{Null{}}), kUnknownOid);
}

TEST(PgValue, EncodesRealsExactlyAndNonFiniteByName) {
  EXPECT_EQ(std::stod(EncodeText(Value{0.1})), 0.1);
  EXPECT_EQ(EncodeText(Value{HUGE_VAL}), "Infinity");
  EXPECT_EQ(EncodeText(Value{std::nan("")}), "NaN");
  EXPECT_EQ(EncodeText(Value{std::int64_t{-42}}), "-42");
}

}  // namespace
}  // namespace atrium::storage::postgres
