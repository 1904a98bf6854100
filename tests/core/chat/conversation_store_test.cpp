#include "core/chat/conversation_store.hpp"

#include <gtest/gtest.h>

#include "chat_fixture.hpp"

namespace atrium::core::chat {
namespace {

Message Msg(ConversationStore& store, const std::string& conversation, std::string role, std::string content) {
  Message m;
  m.id = store.NewId();
  m.conversation_id = conversation;
  m.role = std::move(role);
  m.content = std::move(content);
  m.created_at = m.updated_at = store.Now();
  return m;
}

using ConversationStoreTest = ChatDatabase;

TEST_F(ConversationStoreTest, CreateGetUpdateListDelete) {
  NewConversation fields;
  fields.title = "Trip planning";
  fields.tags = {"travel", "2024"};
  fields.folder_id = "f1";
  fields.system_prompt = "You plan trips.";
  auto c = store_->Create(kAlice, fields);
  ASSERT_TRUE(c) << c.error().internal_message();
  EXPECT_EQ(c->title, "Trip planning");
  EXPECT_EQ(c->tags, (std::vector<std::string>{"travel", "2024"}));
  EXPECT_EQ(c->folder_id, std::optional<std::string>("f1"));
  EXPECT_FALSE(c->config_id);
  EXPECT_EQ(c->system_prompt, "You plan trips.");
  EXPECT_EQ(c->message_count, 0);
  EXPECT_EQ(c->created_at, "2024-05-06T07:08:09.123Z");

  ConversationPatch patch;
  patch.pinned = true;
  patch.summary = std::optional<std::string>("About Rome");
  patch.folder_id = std::optional<std::string>();  // cleared
  auto updated = store_->Update(kAlice, c->id, patch);
  ASSERT_TRUE(updated);
  EXPECT_TRUE(updated->pinned);
  EXPECT_EQ(updated->summary, std::optional<std::string>("About Rome"));
  EXPECT_FALSE(updated->folder_id);
  EXPECT_EQ(updated->title, "Trip planning");

  ASSERT_TRUE(store_->Create(kAlice, {.title = "Second"}));
  auto listed = store_->List(kAlice, {});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].title, "Trip planning");  // pinned first
  auto pinned_only = store_->List(kAlice, {.pinned = false});
  ASSERT_EQ(pinned_only->size(), 1u);
  EXPECT_EQ((*pinned_only)[0].title, "Second");

  ASSERT_TRUE(store_->Delete(kAlice, c->id));
  EXPECT_EQ(store_->Get(kAlice, c->id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->Delete(kAlice, c->id).error().code(), ErrorCode::kNotFound);
}

TEST_F(ConversationStoreTest, AnotherUsersConversationIsNotFound) {
  auto c = store_->Create(kAlice, {.title = "Private"});
  ASSERT_TRUE(c);
  EXPECT_EQ(store_->Get(kBob, c->id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->Get(kBob, c->id).error().reason(), Reason::kConversationNotFound);
  EXPECT_EQ(store_->Update(kBob, c->id, {.title = "mine"}).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->Delete(kBob, c->id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->Messages(kBob, c->id).error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->List(kBob, {})->empty());
  TurnRecord turn;
  turn.user_id = kBob;
  turn.conversation_id = c->id;
  turn.append = {Msg(*store_, c->id, "user", "sneaky")};
  EXPECT_EQ(store_->CommitTurn(turn).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages"), 0);
  EXPECT_EQ(store_->Get(kAlice, c->id)->title, "Private");
}

TEST_F(ConversationStoreTest, ATurnIsStoredWholeWithItsCounters) {
  TurnRecord turn;
  turn.user_id = kAlice;
  turn.conversation_id = store_->NewId();
  turn.create = NewConversation{.title = "Hello"};
  auto user = Msg(*store_, turn.conversation_id, "user", "Hello there");
  auto answer = Msg(*store_, turn.conversation_id, "assistant", "General Kenobi");
  answer.generation = GenerationMetadata{"m1", 5, 2, 7, false, 120, 30, 0.0042, "stop"};
  turn.append = {user, answer};
  turn.user_messages = 1;
  turn.usage = {5, 2, 7, 0.0042};
  turn.model = "m1";
  ASSERT_TRUE(store_->CommitTurn(turn));
  auto c = store_->Get(kAlice, turn.conversation_id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->message_count, 2);
  EXPECT_EQ(c->model, "m1");
  EXPECT_EQ(c->stats.total_tokens, 7);
  EXPECT_DOUBLE_EQ(c->stats.cost_usd, 0.0042);
  EXPECT_TRUE(c->last_message_at);
  auto messages = store_->Messages(kAlice, c->id);
  ASSERT_TRUE(messages);
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].role, "user");
  EXPECT_FALSE((*messages)[0].generation);
  const auto& g = *(*messages)[1].generation;
  EXPECT_EQ(g.model, "m1");
  EXPECT_EQ(g.completion_tokens, 2);
  EXPECT_EQ(g.generation_ms, 120);
  EXPECT_EQ(g.first_token_ms, 30);
  EXPECT_EQ(g.cost_usd, std::optional<double>(0.0042));
  auto usage = store_->UsageOf(kAlice);
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->tokens_used, 7);
  EXPECT_EQ(usage->messages_sent, 1);
}

TEST_F(ConversationStoreTest, AFailingTurnLeavesNothingBehind) {
  TurnRecord turn;
  turn.user_id = kAlice;
  turn.conversation_id = store_->NewId();
  turn.create = NewConversation{.title = "Doomed"};
  turn.append = {Msg(*store_, turn.conversation_id, "user", "hi")};
  turn.truncate_after_message_id = "no-such-message";  // fails after the inserts above ran
  turn.usage = {1, 1, 2, 0};
  EXPECT_EQ(store_->CommitTurn(turn).error().reason(), Reason::kMessageNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM conversations"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages"), 0);
  EXPECT_EQ(store_->UsageOf(kAlice)->tokens_used, 0);
}

TEST_F(ConversationStoreTest, EditKeepsHistoryAndTruncateDeletesLaterMessages) {
  TurnRecord first;
  first.user_id = kAlice;
  first.conversation_id = store_->NewId();
  first.create = NewConversation{};
  auto q1 = Msg(*store_, first.conversation_id, "user", "first question");
  auto a1 = Msg(*store_, first.conversation_id, "assistant", "first answer");
  auto q2 = Msg(*store_, first.conversation_id, "user", "second question");
  auto a2 = Msg(*store_, first.conversation_id, "assistant", "second answer");
  first.append = {q1, a1, q2, a2};
  ASSERT_TRUE(store_->CommitTurn(first));

  TurnRecord edit;
  edit.user_id = kAlice;
  edit.conversation_id = first.conversation_id;
  edit.edit_message_id = q1.id;
  edit.edit_content = "better question";
  edit.truncate_after_message_id = q1.id;
  edit.append = {Msg(*store_, first.conversation_id, "assistant", "better answer")};
  ASSERT_TRUE(store_->CommitTurn(edit));
  auto messages = store_->Messages(kAlice, first.conversation_id);
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].content, "better question");
  ASSERT_EQ((*messages)[0].edit_history.size(), 1u);
  EXPECT_EQ((*messages)[0].edit_history[0].content, "first question");
  EXPECT_EQ((*messages)[1].content, "better answer");
  EXPECT_EQ(store_->Get(kAlice, first.conversation_id)->message_count, 2);
  EXPECT_EQ(store_->GetMessage(kAlice, a2.id).error().code(), ErrorCode::kNotFound);
}

TEST_F(ConversationStoreTest, SearchFindsTitlesAndContentOfTheOwnerOnly) {
  TurnRecord turn;
  turn.user_id = kAlice;
  turn.conversation_id = store_->NewId();
  turn.create = NewConversation{.title = "Pasta recipes"};
  turn.append = {Msg(*store_, turn.conversation_id, "user", "How long do I boil spaghetti?"),
                 Msg(*store_, turn.conversation_id, "assistant", "About nine minutes, until al dente.")};
  ASSERT_TRUE(store_->CommitTurn(turn));
  ASSERT_TRUE(store_->Create(kBob, {.title = "Spaghetti westerns"}));

  auto hits = store_->Search(kAlice, "spaghetti", 10);
  ASSERT_TRUE(hits) << hits.error().internal_message();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].conversation_id, turn.conversation_id);
  EXPECT_EQ((*hits)[0].conversation_title, "Pasta recipes");
  EXPECT_TRUE((*hits)[0].message_id);
  EXPECT_EQ((*hits)[0].role, "user");
  EXPECT_NE((*hits)[0].snippet.find("<mark>spaghetti</mark>"), std::string::npos);

  auto title = store_->Search(kAlice, "past", 10);  // a prefix of the last word
  ASSERT_EQ(title->size(), 1u);
  EXPECT_FALSE((*title)[0].message_id);

  EXPECT_EQ(store_->Search(kBob, "spaghetti", 10)->size(), 1u);
  EXPECT_EQ(store_->Search(kBob, "dente", 10)->size(), 0u);
  // FTS syntax is text, never an error.
  for (const char* q : {"\"unbalanced", "a OR b NOT", "*", "NEAR(x y)", "col:umn", "  ", ""}) {
    auto r = store_->Search(kAlice, q, 10);
    EXPECT_TRUE(r) << q << ": " << (r ? "" : r.error().internal_message());
  }

  // Deleted conversations leave the index.
  ASSERT_TRUE(store_->Delete(kAlice, turn.conversation_id));
  EXPECT_TRUE(store_->Search(kAlice, "spaghetti", 10)->empty());
}

TEST_F(ConversationStoreTest, SetTitleIfKeepsATitleTheUserChose) {
  auto c = store_->Create(kAlice, {.title = "first words"});
  ASSERT_TRUE(c);
  EXPECT_TRUE(*store_->SetTitleIf(kAlice, c->id, "first words", "Generated"));
  EXPECT_FALSE(*store_->SetTitleIf(kAlice, c->id, "first words", "Again"));
  EXPECT_EQ(store_->Get(kAlice, c->id)->title, "Generated");
  EXPECT_EQ(store_->Search(kAlice, "generated", 5)->size(), 1u);
}

// A conversation of `n` messages (user and assistant in turn), committed at once.
std::vector<Message> Seed(ConversationStore& store, const std::string& user, const std::string& conversation_id,
                          const std::string& title, int n) {
  TurnRecord turn;
  turn.user_id = user;
  turn.conversation_id = conversation_id;
  turn.create = NewConversation{.title = title};
  for (int i = 0; i < n; ++i) {
    turn.append.push_back(
        Msg(store, conversation_id, i % 2 == 0 ? "user" : "assistant", "message " + std::to_string(i)));
  }
  EXPECT_TRUE(store.CommitTurn(turn));
  return turn.append;
}

TEST_F(ConversationStoreTest, ListPageSortsSearchesAndCounts) {
  // Created a second apart: Alpha (oldest), beta, Gamma; Gamma gets messages first,
  // then Alpha, so by last message Alpha is newest.
  auto alpha = store_->Create(kAlice, {.title = "Alpha notes"});
  clock_.Advance(std::chrono::seconds(1));
  auto beta = store_->Create(kAlice, {.title = "beta plans"});
  clock_.Advance(std::chrono::seconds(1));
  const std::string gamma = store_->NewId();
  Seed(*store_, kAlice, gamma, "Gamma notes", 3);
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(alpha && beta);
  TurnRecord turn;
  turn.user_id = kAlice;
  turn.conversation_id = alpha->id;
  turn.append = {Msg(*store_, alpha->id, "user", "hello")};
  ASSERT_TRUE(store_->CommitTurn(turn));
  ASSERT_TRUE(store_->Create(kBob, {.title = "Bob notes"}));

  auto titles = [&](const ListOptions& o) {
    auto page = store_->ListPage(kAlice, o);
    EXPECT_TRUE(page) << page.error().internal_message();
    std::vector<std::string> out;
    for (const auto& c : page->items) out.push_back(c.title);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(titles({.sort = ConversationSort::kLastMessageAt}), (V{"Alpha notes", "Gamma notes", "beta plans"}));
  EXPECT_EQ(titles({.sort = ConversationSort::kCreatedAt}), (V{"Gamma notes", "beta plans", "Alpha notes"}));
  EXPECT_EQ(titles({.sort = ConversationSort::kCreatedAt, .ascending = true}),
            (V{"Alpha notes", "beta plans", "Gamma notes"}));
  EXPECT_EQ(titles({.sort = ConversationSort::kTitle, .ascending = true}),
            (V{"Alpha notes", "beta plans", "Gamma notes"}));  // case-insensitive
  EXPECT_EQ(titles({.sort = ConversationSort::kMessageCount}), (V{"Gamma notes", "Alpha notes", "beta plans"}));
  EXPECT_EQ(titles({.title_search = "notes", .sort = ConversationSort::kTitle, .ascending = true}),
            (V{"Alpha notes", "Gamma notes"}));
  EXPECT_EQ(titles({.title_search = "pla"}), (V{"beta plans"}));  // the last word is a prefix
  EXPECT_EQ(titles({.title_search = "?!"}), V{});                 // no words: nothing

  // Pinned first whatever the order.
  ASSERT_TRUE(store_->Update(kAlice, beta->id, {.pinned = true}));
  EXPECT_EQ(titles({.sort = ConversationSort::kTitle, .ascending = true}),
            (V{"beta plans", "Alpha notes", "Gamma notes"}));

  // A page and the total.
  auto page = store_->ListPage(kAlice, {.limit = 2, .offset = 2, .sort = ConversationSort::kCreatedAt});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->items.size(), 1u);
  auto notes = store_->ListPage(kAlice, {.limit = 1, .title_search = "notes"});
  EXPECT_EQ(notes->total, 2);
  EXPECT_EQ(notes->items.size(), 1u);
  ASSERT_TRUE(store_->Update(kAlice, gamma, {.archived = true}));
  EXPECT_EQ(store_->ListPage(kAlice, {.archived = false})->total, 2);
  EXPECT_EQ(store_->ListPage(kAlice, {.archived = true})->total, 1);
  EXPECT_EQ(*store_->Count(kAlice), 3);
  EXPECT_EQ(*store_->Count(kBob), 1);
  EXPECT_EQ(store_->ListPage(kBob, {.title_search = "alpha"})->total, 0);
}

TEST_F(ConversationStoreTest, MessagesPageIsOldestFirstWithTheTotal) {
  const std::string id = store_->NewId();
  const auto seeded = Seed(*store_, kAlice, id, "Long", 5);
  auto page = store_->MessagesPage(kAlice, id, 2, 2);
  ASSERT_TRUE(page) << page.error().internal_message();
  EXPECT_EQ(page->total, 5);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, seeded[2].id);
  EXPECT_EQ(page->items[1].id, seeded[3].id);
  EXPECT_EQ(store_->MessagesPage(kAlice, id, 10, 4)->items.size(), 1u);
  EXPECT_EQ(store_->MessagesPage(kBob, id, 10, 0).error().reason(), Reason::kConversationNotFound);
}

TEST_F(ConversationStoreTest, EditMessageKeepsHistoryAndTheRest) {
  const std::string id = store_->NewId();
  const auto seeded = Seed(*store_, kAlice, id, "Edits", 3);
  clock_.Advance(std::chrono::seconds(5));
  auto edited = store_->EditMessage(kAlice, seeded[0].id, "message zero, better");
  ASSERT_TRUE(edited) << edited.error().internal_message();
  EXPECT_EQ(edited->content, "message zero, better");
  ASSERT_EQ(edited->edit_history.size(), 1u);
  EXPECT_EQ(edited->edit_history[0].content, "message 0");
  EXPECT_EQ(edited->edit_history[0].edited_at, "2024-05-06T07:08:14.123Z");
  ASSERT_EQ(store_->EditMessage(kAlice, seeded[0].id, "third")->edit_history.size(), 2u);
  auto c = store_->Get(kAlice, id);
  EXPECT_EQ(c->message_count, 3);
  EXPECT_EQ(c->updated_at, "2024-05-06T07:08:14.123Z");
  EXPECT_EQ(store_->Messages(kAlice, id)->size(), 3u);
  EXPECT_EQ(store_->Search(kAlice, "better", 5)->size(), 0u);  // the edit after it replaced it
  EXPECT_EQ(store_->Search(kAlice, "third", 5)->size(), 1u);
  EXPECT_EQ(store_->EditMessage(kBob, seeded[0].id, "mine").error().reason(), Reason::kMessageNotFound);
  EXPECT_EQ(store_->GetMessage(kAlice, seeded[0].id)->content, "third");
}

TEST_F(ConversationStoreTest, DeleteMessageKeepsTheCountsRight) {
  const std::string id = store_->NewId();
  auto seeded = Seed(*store_, kAlice, id, "Deletes", 2);
  clock_.Advance(std::chrono::seconds(1));
  TurnRecord later;
  later.user_id = kAlice;
  later.conversation_id = id;
  later.append = {Msg(*store_, id, "user", "the last one")};
  ASSERT_TRUE(store_->CommitTurn(later));
  EXPECT_EQ(store_->Get(kAlice, id)->last_message_at, later.append[0].created_at);

  EXPECT_EQ(store_->DeleteMessage(kBob, later.append[0].id).error().reason(), Reason::kMessageNotFound);
  ASSERT_TRUE(store_->DeleteMessage(kAlice, later.append[0].id));
  auto c = store_->Get(kAlice, id);
  EXPECT_EQ(c->message_count, 2);
  EXPECT_EQ(c->last_message_at, seeded[1].created_at);
  EXPECT_EQ(store_->DeleteMessage(kAlice, later.append[0].id).error().reason(), Reason::kMessageNotFound);
  EXPECT_TRUE(store_->Search(kAlice, "last", 5)->empty());
  ASSERT_TRUE(store_->DeleteMessage(kAlice, seeded[0].id));
  ASSERT_TRUE(store_->DeleteMessage(kAlice, seeded[1].id));
  c = store_->Get(kAlice, id);
  EXPECT_EQ(c->message_count, 0);
  EXPECT_FALSE(c->last_message_at);
}

TEST_F(ConversationStoreTest, SearchMessagesGivesMessagesWithTitleSnippetAndTotal) {
  const std::string one = store_->NewId();
  TurnRecord turn;
  turn.user_id = kAlice;
  turn.conversation_id = one;
  turn.create = NewConversation{.title = "Auth talk"};
  turn.append = {Msg(*store_, one, "user", "How does JWT authentication work?"),
                 Msg(*store_, one, "assistant", "JWT authentication signs a token.")};
  ASSERT_TRUE(store_->CommitTurn(turn));
  ASSERT_TRUE(store_->Create(kAlice, {.title = "authentication title only"}));
  const std::string bobs = store_->NewId();
  TurnRecord bob;
  bob.user_id = kBob;
  bob.conversation_id = bobs;
  bob.create = NewConversation{.title = "Bob"};
  bob.append = {Msg(*store_, bobs, "user", "authentication for bob")};
  ASSERT_TRUE(store_->CommitTurn(bob));

  auto hits = store_->SearchMessages(kAlice, "authentication", 1);
  ASSERT_TRUE(hits) << hits.error().internal_message();
  EXPECT_EQ(hits->total, 2);  // messages only, not the title
  ASSERT_EQ(hits->items.size(), 1u);
  const auto& h = hits->items[0];
  EXPECT_EQ(h.message.id, turn.append[1].id);  // newest first
  EXPECT_EQ(h.message.role, "assistant");
  EXPECT_EQ(h.message.content, "JWT authentication signs a token.");
  EXPECT_EQ(h.message.conversation_id, one);
  EXPECT_EQ(h.conversation_title, "Auth talk");
  EXPECT_NE(h.snippet.find("<mark>authentication</mark>"), std::string::npos);
  EXPECT_EQ(store_->SearchMessages(kBob, "jwt", 10)->total, 0);
  EXPECT_EQ(store_->SearchMessages(kAlice, "\"", 10)->total, 0);
}

}  // namespace
}  // namespace atrium::core::chat
