#include "storage/value.hpp"

#include <gtest/gtest.h>

namespace atrium::storage {
namespace {

TEST(ValueTest, AsIntToleratesDoubleAndRejectsTextAndNull) {
  EXPECT_EQ(AsInt(Value{std::int64_t{7}}), 7);
  EXPECT_EQ(AsInt(Value{2.9}), 2);
  EXPECT_EQ(AsInt(Value{std::string("7")}), std::nullopt);
  EXPECT_EQ(AsInt(Value{Null{}}), std::nullopt);
}

TEST(ValueTest, AsDoubleToleratesInt) {
  EXPECT_EQ(AsDouble(Value{1.5}), 1.5);
  EXPECT_EQ(AsDouble(Value{std::int64_t{-3}}), -3.0);
  EXPECT_EQ(AsDouble(Value{std::string("1.5")}), std::nullopt);
  EXPECT_EQ(AsDouble(Value{Null{}}), std::nullopt);
}

TEST(ValueTest, AsTextOnlyForText) {
  EXPECT_EQ(AsText(Value{std::string("abc")}), "abc");
  EXPECT_EQ(AsText(Value{std::string()}), "");
  EXPECT_EQ(AsText(Value{std::int64_t{1}}), std::nullopt);
  EXPECT_EQ(AsText(Value{Null{}}), std::nullopt);
}

TEST(RowsTest, EmptyAndSize) {
  Rows rows;
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(rows.size(), 0u);
  rows.rows.push_back({Value{Null{}}});
  EXPECT_FALSE(rows.empty());
  EXPECT_EQ(rows.size(), 1u);
}

}  // namespace
}  // namespace atrium::storage
