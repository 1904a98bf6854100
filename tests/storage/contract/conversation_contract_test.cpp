// Conversations and their full-text search (the per-driver part,
// storage/sql/conversation_text_search.hpp) through ConversationStore.

#include "core/chat/conversation_store.hpp"
#include "storage/contract/contract_fixture.hpp"

namespace atrium::storage::contract {
namespace {

using core::ErrorCode;
using core::chat::Message;
using core::chat::TurnRecord;

// A conversation of `user` with the given message contents, the clock moved on a
// second before each message so their times differ.
std::string Chat(StorageContract& t, core::chat::ConversationStore& store, atrium::testing::FakeClock& clock,
                 const std::string& user, const std::string& title, const std::vector<std::string>& contents) {
  TurnRecord turn;
  turn.user_id = user;
  turn.conversation_id = store.NewId();
  turn.create = core::chat::NewConversation{.title = title};
  for (const auto& c : contents) {
    clock.Advance(std::chrono::seconds(1));
    Message m;
    m.id = store.NewId();
    m.conversation_id = turn.conversation_id;
    m.role = "user";
    m.content = c;
    m.created_at = m.updated_at = store.Now();
    turn.append.push_back(std::move(m));
  }
  turn.user_messages = static_cast<std::int64_t>(contents.size());
  auto r = store.CommitTurn(turn);
  EXPECT_TRUE(r.ok()) << r.error().internal_message();
  (void)t;
  return turn.conversation_id;
}

TEST_P(StorageContract, ConversationsKeepTheirMessagesInOrderAndCountUsage) {
  AddUser("ann", "ann@example.com");
  auto& store = repos().conversations;
  const std::string id = Chat(*this, store, clock_, "ann", "Pasta", {"one", "two", "three"});
  auto messages = store.Messages("ann", id);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 3u);
  EXPECT_EQ((*messages)[0].content, "one");
  EXPECT_EQ((*messages)[2].content, "three");
  auto page = store.MessagesPage("ann", id, 1, 1);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].content, "two");
  EXPECT_EQ(store.Get("ann", id)->message_count, 3);
  EXPECT_EQ(store.UsageOf("ann")->messages_sent, 3);
  ExpectCode(store.Get("bob", id), ErrorCode::kNotFound, core::Reason::kConversationNotFound);

  ASSERT_TRUE(store.DeleteMessage("ann", (*messages)[2].id).ok());
  EXPECT_EQ(store.Get("ann", id)->message_count, 2);
  EXPECT_EQ(*store.SetTitleIf("ann", id, "Pasta", "Carbonara"), true);
  EXPECT_EQ(*store.SetTitleIf("ann", id, "Pasta", "Again"), false);
  EXPECT_EQ(store.Get("ann", id)->title, "Carbonara");
}

TEST_P(StorageContract, SearchMatchesWordsAndAPrefixOfTheLastIgnoringCaseAndAccents) {
  AddUser("ann", "ann@example.com");
  AddUser("bob", "bob@example.com");
  auto& store = repos().conversations;
  Chat(*this, store, clock_, "ann", "Dinner plans", {"The café serves pasta al dente", "Nothing here"});
  Chat(*this, store, clock_, "bob", "Bob's", {"the cafe of bob"});

  auto hits = store.SearchMessages("ann", "CAFE serv", 10);
  ASSERT_TRUE(hits.ok()) << hits.error().internal_message();
  EXPECT_EQ(hits->total, 1);  // bob's message is not ann's
  ASSERT_EQ(hits->items.size(), 1u);
  EXPECT_EQ(hits->items[0].conversation_title, "Dinner plans");
  const std::string& snippet = hits->items[0].snippet;
  EXPECT_NE(snippet.find("<mark>café</mark>"), std::string::npos) << snippet;
  EXPECT_NE(snippet.find("<mark>serves</mark>"), std::string::npos) << snippet;

  EXPECT_EQ(store.SearchMessages("ann", "pasta dente", 10)->total, 1);         // every word, any order
  EXPECT_EQ(store.SearchMessages("ann", "pasta zebra", 10)->total, 0);         // all words required
  EXPECT_EQ(store.SearchMessages("ann", "ser", 10)->total, 1);                 // the last word is a prefix
  EXPECT_EQ(store.SearchMessages("ann", "caf pasta", 10)->total, 0);           // only the last one
  EXPECT_EQ(store.SearchMessages("ann", "\"pasta\" OR NEAR(", 10)->total, 0);  // syntax is text
  EXPECT_EQ(store.SearchMessages("ann", "  !! ", 10)->total, 0);               // no words: nothing
}

TEST_P(StorageContract, SearchListsTitleAndMessageHitsNewestFirst) {
  AddUser("ann", "ann@example.com");
  auto& store = repos().conversations;
  const std::string older = Chat(*this, store, clock_, "ann", "Garden", {"roses and tulips"});
  const std::string newer = Chat(*this, store, clock_, "ann", "Roses", {"nothing to see"});
  auto hits = store.Search("ann", "roses", 10);
  ASSERT_TRUE(hits.ok()) << hits.error().internal_message();
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].conversation_id, newer);  // the title hit, updated last
  EXPECT_FALSE((*hits)[0].message_id.has_value());
  EXPECT_EQ((*hits)[1].conversation_id, older);
  ASSERT_TRUE((*hits)[1].message_id.has_value());
  EXPECT_NE((*hits)[1].snippet.find("<mark>roses</mark>"), std::string::npos) << (*hits)[1].snippet;

  auto listed = store.List("ann", {.title_search = "gard"});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, older);
  EXPECT_TRUE(store.List("ann", {.title_search = "%"})->empty());
}

}  // namespace
}  // namespace atrium::storage::contract
