// The IMAP response readers behind the mail summaries, on lines as Dovecot sends them
// and on hostile ones.

#include "transport/mail/imap_response.hpp"

#include "transport/mail/encoded_words.hpp"

#include <gtest/gtest.h>

namespace atrium::transport::mail {
namespace {

TEST(ImapSearch, NumbersOfEverySearchLine) {
  EXPECT_EQ(ParseSearch("* SEARCH 2 3\r\n"), (std::vector<long>{2, 3}));
  EXPECT_EQ(ParseSearch("* SEARCH\r\n"), std::vector<long>{});
  EXPECT_EQ(ParseSearch("* search 7\r\n* SEARCH 9 10\r\n"), (std::vector<long>{7, 9, 10}));
  EXPECT_EQ(ParseSearch("* 3 EXISTS\r\n* OK done\r\n"), std::vector<long>{});
  EXPECT_EQ(ParseSearch("* SEARCH 99999999999999999999\r\n"), std::vector<long>{1000000000L});
}

TEST(ImapFetch, FlagsAndEnvelope) {
  const auto m = ParseFetch(
      "* 1 FETCH (FLAGS (\\Seen) ENVELOPE (\"Sat, 7 Feb 2026 01:00:00 +0000\" \"Invoice March\" "
      "((\"Bob\" NIL \"bob\" \"example.com\")) ((\"Bob\" NIL \"bob\" \"example.com\")) NIL NIL NIL NIL NIL "
      "\"<m1@example.com>\"))\r\n"
      "* 3 FETCH (FLAGS (\\Flagged) ENVELOPE (\"Sat, 7 Feb 2026 03:00:00 +0000\" \"Say \\\"hi\\\"\" "
      "((NIL NIL \"ops\" \"example.com\")) NIL NIL NIL NIL NIL NIL NIL))\r\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].sequence, 1);
  EXPECT_EQ(m[0].header.from, "Bob <bob@example.com>");
  EXPECT_EQ(m[0].header.subject, "Invoice March");
  EXPECT_EQ(m[0].header.date, "Sat, 7 Feb 2026 01:00:00 +0000");
  EXPECT_FALSE(m[0].header.unread);
  EXPECT_FALSE(m[0].header.important);
  EXPECT_EQ(m[1].sequence, 3);
  EXPECT_EQ(m[1].header.from, "ops@example.com");
  EXPECT_EQ(m[1].header.subject, "Say \"hi\"");
  EXPECT_TRUE(m[1].header.unread);
  EXPECT_TRUE(m[1].header.important);
}

TEST(ImapFetch, LiteralsAndGarbageAreSkippedSafely) {
  const auto m = ParseFetch(
      "* 2 FETCH (FLAGS () ENVELOPE (NIL {12}\r\n* x FETCH (\r\n* 4 FETCH ((((((\r\n"
      "* 5 FETCH (FLAGS (\\Seen) ENVELOPE (NIL {5} NIL))\r\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].sequence, 5);
  EXPECT_EQ(m[0].header.subject, "");
  std::string deep = "* 6 FETCH ";
  deep.append(10000, '(');
  EXPECT_TRUE(ParseFetch(deep).empty());
}

TEST(EncodedWords, DecodesBAndQInUtf8AndLatin1) {
  EXPECT_EQ(DecodeEncodedWords("=?UTF-8?B?SGVsbG8sIFfDtnJsZCE=?="), "Hello, Wörld!");
  EXPECT_EQ(DecodeEncodedWords("=?ISO-8859-1?Q?Caf=E9_au_lait?="), "Café au lait");
  EXPECT_EQ(DecodeEncodedWords("Re: =?utf-8?q?M=C3=BCnchen?= trip"), "Re: München trip");
  EXPECT_EQ(DecodeEncodedWords("=?UTF-8?B?SGVs?= =?UTF-8?B?bG8=?="), "Hello");  // adjacent words join
  EXPECT_EQ(DecodeEncodedWords("plain  text "), "plain  text ");
}

TEST(EncodedWords, LeavesWhatItCannotDecode) {
  EXPECT_EQ(DecodeEncodedWords("=?KOI8-R?B?8NLJ18XU?="), "=?KOI8-R?B?8NLJ18XU?=");
  EXPECT_EQ(DecodeEncodedWords("=?UTF-8?B?@@@?="), "=?UTF-8?B?@@@?=");
  EXPECT_EQ(DecodeEncodedWords("=?UTF-8?Q?bad=Z?="), "=?UTF-8?Q?bad=Z?=");
  EXPECT_EQ(DecodeEncodedWords("=?UTF-8?Q?trailing=?="), "=?UTF-8?Q?trailing=?=");
  EXPECT_EQ(DecodeEncodedWords("=?"), "=?");
}

TEST(ImapFetch, EncodedSubjectsAndNamesAreDecoded) {
  const auto m = ParseFetch(R"(* 4 FETCH (FLAGS () ENVELOPE ("d" "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=" )"
                            R"((("=?ISO-8859-1?Q?Ren=E9?=" NIL "rene" "example.fr")) NIL NIL NIL NIL NIL NIL NIL)))"
                            "\r\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].header.subject, "Grüße");
  EXPECT_EQ(m[0].header.from, "René <rene@example.fr>");
}

}  // namespace
}  // namespace atrium::transport::mail
