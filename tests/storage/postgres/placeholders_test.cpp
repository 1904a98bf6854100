#include "storage/postgres/placeholders.hpp"

#include <gtest/gtest.h>

namespace atrium::storage::postgres {
namespace {

TEST(Placeholders, NumbersEveryQuestionMarkInOrder) {
  const auto t = TranslatePlaceholders("INSERT INTO t(a, b, c) VALUES (?, ?, ?)");
  EXPECT_EQ(t.sql, "INSERT INTO t(a, b, c) VALUES ($1, $2, $3)");
  EXPECT_EQ(t.parameters, 3);
}

TEST(Placeholders, LeavesSqlWithoutPlaceholdersAlone) {
  const auto t = TranslatePlaceholders("SELECT 1");
  EXPECT_EQ(t.sql, "SELECT 1");
  EXPECT_EQ(t.parameters, 0);
}

TEST(Placeholders, SkipsStringLiteralsWithDoubledQuotes) {
  const auto t = TranslatePlaceholders("SELECT 'what?', 'it''s ?', ? FROM t WHERE a = ?");
  EXPECT_EQ(t.sql, "SELECT 'what?', 'it''s ?', $1 FROM t WHERE a = $2");
  EXPECT_EQ(t.parameters, 2);
}

TEST(Placeholders, SkipsEscapeStringsWithBackslashQuotes) {
  const auto t = TranslatePlaceholders(R"(SELECT E'a\'?b', ?)");
  EXPECT_EQ(t.sql, R"(SELECT E'a\'?b', $1)");
  EXPECT_EQ(t.parameters, 1);
}

TEST(Placeholders, BackslashIsOrdinaryInStandardStrings) {
  // standard_conforming_strings: '\' is one backslash, and the next quote ends the string.
  const auto t = TranslatePlaceholders(R"(SELECT '\', ?)");
  EXPECT_EQ(t.sql, R"(SELECT '\', $1)");
  EXPECT_EQ(t.parameters, 1);
}

TEST(Placeholders, AnIdentifierEndingInEIsNotAnEscapeString) {
  const auto t = TranslatePlaceholders(R"(SELECT type'\', ?)");
  EXPECT_EQ(t.sql, R"(SELECT type'\', $1)");
}

TEST(Placeholders, SkipsQuotedIdentifiers) {
  const auto t = TranslatePlaceholders(R"(SELECT "odd?name", "a""?" FROM t WHERE x = ?)");
  EXPECT_EQ(t.sql, R"(SELECT "odd?name", "a""?" FROM t WHERE x = $1)");
  EXPECT_EQ(t.parameters, 1);
}

TEST(Placeholders, SkipsLineComments) {
  const auto t = TranslatePlaceholders("SELECT ? -- why?\n, ?");
  EXPECT_EQ(t.sql, "SELECT $1 -- why?\n, $2");
  EXPECT_EQ(t.parameters, 2);
}

TEST(Placeholders, SkipsNestedBlockComments) {
  const auto t = TranslatePlaceholders("SELECT /* a? /* b? */ c? */ ?");
  EXPECT_EQ(t.sql, "SELECT /* a? /* b? */ c? */ $1");
  EXPECT_EQ(t.parameters, 1);
}

TEST(Placeholders, SkipsDollarQuotedStrings) {
  const auto t = TranslatePlaceholders("SELECT $$a?$$, $tag$ ? $x$ ? $tag$, ?");
  EXPECT_EQ(t.sql, "SELECT $$a?$$, $tag$ ? $x$ ? $tag$, $1");
  EXPECT_EQ(t.parameters, 1);
}

TEST(Placeholders, ExistingPositionalParametersAreNotDollarQuotes) {
  const auto t = TranslatePlaceholders("SELECT $1, ?");
  EXPECT_EQ(t.sql, "SELECT $1, $1");
}

TEST(Placeholders, UnterminatedQuoteIsCopiedForTheServerToRefuse) {
  const auto t = TranslatePlaceholders("SELECT 'open ?");
  EXPECT_EQ(t.sql, "SELECT 'open ?");
  EXPECT_EQ(t.parameters, 0);
}

TEST(Placeholders, ManyParametersGetMultiDigitNumbers) {
  std::string sql = "VALUES (";
  for (int i = 0; i < 12; ++i) sql += i == 0 ? "?" : ", ?";
  sql += ")";
  const auto t = TranslatePlaceholders(sql);
  EXPECT_EQ(t.parameters, 12);
  EXPECT_NE(t.sql.find("$10, $11, $12)"), std::string::npos);
}

}  // namespace
}  // namespace atrium::storage::postgres
