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
  EXPECT_EQ(store_->Get(kBob, c->id).error().reason(), "conversation_not_found");
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
  EXPECT_EQ(store_->CommitTurn(turn).error().reason(), "message_not_found");
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
  EXPECT_EQ(FtsQuery("al dente!"), "\"al\" \"dente\"*");
  EXPECT_EQ(FtsQuery("\"x\" OR"), "\"x\" \"OR\"*");

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

}  // namespace
}  // namespace atrium::core::chat
