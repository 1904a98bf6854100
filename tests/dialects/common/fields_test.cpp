#include "dialects/common/fields.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace atrium::dialects {
namespace {

namespace json = boost::json;

json::object Body() { return json::parse(R"({"s": "Анна", "e": "", "n": null, "i": 3, "b": true})").as_object(); }

TEST(FieldsTest, StringFieldSaysHowTheFieldWasFound) {
  const json::object body = Body();
  EXPECT_EQ(StringField(body, "missing").state, FieldState::kMissing);
  EXPECT_EQ(StringField(body, "n").state, FieldState::kNull);
  EXPECT_EQ(StringField(body, "i").state, FieldState::kWrongType);
  const auto s = StringField(body, "s");
  EXPECT_EQ(s.state, FieldState::kPresent);
  EXPECT_EQ(s.value, "Анна");
  EXPECT_TRUE(StringField(body, "e").present());  // an empty string is a string
  EXPECT_TRUE(StringField(body, "n").absent());
  EXPECT_TRUE(StringField(body, "missing").absent());
  EXPECT_FALSE(StringField(body, "i").absent());
}

TEST(FieldsTest, BoolFieldAcceptsOnlyBooleans) {
  const json::object body = Body();
  EXPECT_EQ(BoolField(body, "b").state, FieldState::kPresent);
  EXPECT_TRUE(BoolField(body, "b").value);
  EXPECT_TRUE(BoolField(body, "i").wrong_type());
  EXPECT_TRUE(BoolField(body, "s").wrong_type());
  EXPECT_TRUE(BoolField(body, "n").absent());
}

TEST(FieldsTest, StringIfAnyTreatsEveryOtherCaseAsNotGiven) {
  const json::object body = Body();
  EXPECT_EQ(StringIfAny(body, "s"), "Анна");
  EXPECT_EQ(StringIfAny(body, "e"), "");
  EXPECT_EQ(StringIfAny(body, "i"), std::nullopt);
  EXPECT_EQ(StringIfAny(body, "n"), std::nullopt);
  EXPECT_EQ(StringIfAny(body, "missing"), std::nullopt);
  EXPECT_EQ(StringIfAny(nullptr, "s"), std::nullopt);
}

}  // namespace
}  // namespace atrium::dialects
