// The smaller aggregates through their repositories: deliveries, calendar, client logs,
// prompt templates, assistant configs, images, arena sessions, usage queries.

#include "core/analytics/usage_queries.hpp"
#include "core/arena/arena_repository.hpp"
#include "core/assistants/assistant_config_repository.hpp"
#include "core/calendar/calendar_repository.hpp"
#include "core/chat/conversation_store.hpp"
#include "core/images/image_repository.hpp"
#include "core/logs/client_log_repository.hpp"
#include "core/messaging/delivery_repository.hpp"
#include "core/prompts/prompt_template_repository.hpp"
#include "storage/contract/contract_fixture.hpp"

namespace atrium::storage::contract {
namespace {

using core::persistence::UnitOfWork;

TEST_P(StorageContract, ADeliveryIsFirstOnlyOnce) {
  auto& d = repos().deliveries;
  EXPECT_EQ(*d.RecordFirst("whatsapp", "m1", "t"), true);
  EXPECT_EQ(*d.RecordFirst("whatsapp", "m1", "t"), false);
  EXPECT_EQ(*d.RecordFirst("other", "m1", "t"), true);
}

TEST_P(StorageContract, CalendarEventsOverlappingAWindowComeByStart) {
  AddUser("ann", "ann@example.com");
  auto at = [](std::int64_t s) { return core::time::Seconds(std::chrono::seconds(s)); };
  auto add = [&](const std::string& id, std::int64_t start, std::int64_t end, const std::string& user = "ann") {
    core::calendar::CalendarEvent e{id, user, "event " + id, at(start), at(end), false, "", ""};
    return repos().calendar.Insert(e, "2024-05-06T07:08:09Z");
  };
  EXPECT_EQ(*add("late", 300, 400), true);
  EXPECT_EQ(*add("early", 100, 250), true);
  EXPECT_EQ(*add("before", 10, 100), true);  // ends as the window starts: outside
  EXPECT_EQ(*add("ghost", 100, 200, "nobody"), false);
  auto found = repos().calendar.Between("ann", at(100), at(350));
  ASSERT_TRUE(found.ok()) << found.error().internal_message();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].id, "early");
  EXPECT_EQ((*found)[1].id, "late");
  EXPECT_TRUE(repos().calendar.Ping().ok());
}

TEST_P(StorageContract, ClientLogsStoreAnIdOnceAndKeepTheNewest) {
  auto entry = [](const std::string& id, const std::string& level) {
    core::logs::ClientLogEntry e;
    e.id = id;
    e.timestamp = "2024-05-06T07:08:0" + id.substr(1) + "Z";
    e.level = level;
    e.message = "message " + id;
    e.line = 7;
    return e;
  };
  std::vector<bool> stored;
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                for (const auto& [id, level] : std::vector<std::pair<std::string, std::string>>{
                         {"e1", "INFO"}, {"e2", "ERROR"}, {"e3", "INFO"}, {"e1", "INFO"}}) {
                  auto r = repos().client_logs.InsertNew(uow, entry(id, level), "now");
                  if (!r) return r.error();
                  stored.push_back(*r);
                }
                return repos().client_logs.KeepNewest(uow, 2);
              }).ok());
  EXPECT_EQ(stored, (std::vector<bool>{true, true, true, false}));  // an id is stored once
  EXPECT_EQ(*repos().client_logs.Count(), 2);
  auto page = repos().client_logs.List({.limit = 10});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->logs.size(), 2u);
  EXPECT_EQ(page->logs[0].id, "e3");  // newest stored first
  EXPECT_EQ(page->logs[0].line, 7);
  EXPECT_EQ(repos().client_logs.List({.limit = 10, .level = "ERROR"})->total, 1);
  std::int64_t cleared = 0;
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                auto n = repos().client_logs.Clear(uow);
                if (!n) return n.error();
                cleared = *n;
                return core::Ok{};
              }).ok());
  EXPECT_EQ(cleared, 2);
}

TEST_P(StorageContract, PromptTemplatesListByCategoryThenNameIgnoringCase) {
  auto make = [](const std::string& id, const std::string& name, const std::string& category, bool active = true) {
    core::prompts::PromptTemplate t;
    t.id = id;
    t.name = name;
    t.category = category;
    t.template_text = "Hello {who}";
    t.is_active = active;
    t.created_at = t.updated_at = "2024-05-06T07:08:09Z";
    return t;
  };
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                for (const auto& t : {make("1", "beta", "b"), make("2", "Alpha", "b"), make("3", "zed", "a"),
                                      make("4", "off", "c", false)}) {
                  if (auto r = repos().prompt_templates.Insert(uow, t); !r) return r;
                }
                return core::Ok{};
              }).ok());
  auto listed = repos().prompt_templates.ListActive("");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].id, "3");
  EXPECT_EQ((*listed)[1].id, "2");
  EXPECT_EQ((*listed)[2].id, "1");
  EXPECT_EQ((*listed)[0].variables, (std::vector<std::string>{"who"}));
  EXPECT_EQ(*repos().prompt_templates.Categories(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*repos().prompt_templates.RecordUse("1"), true);
  EXPECT_EQ(*repos().prompt_templates.RecordUse("4"), false);  // inactive
  EXPECT_EQ((*repos().prompt_templates.Find("1"))->usage_count, 1);
  bool deleted = false;
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                auto d = repos().prompt_templates.Delete(uow, "1");
                if (!d) return d.error();
                deleted = *d;
                return core::Ok{};
              }).ok());
  EXPECT_TRUE(deleted);
  EXPECT_FALSE(repos().prompt_templates.Find("1")->has_value());
}

TEST_P(StorageContract, TheGalleryMatchesWholeTagsAndCountsSaves) {
  AddUser("ann", "ann@example.com");
  auto make = [](const std::string& id, std::vector<std::string> tags) {
    core::assistants::AssistantConfig c;
    c.id = id;
    c.owner_id = "ann";
    c.name = "Config " + id;
    c.model_id = "m";
    c.tags = std::move(tags);
    c.visibility = core::assistants::Visibility::kPublic;
    c.created_at = c.updated_at = "2024-05-06T07:08:0" + id + "Z";
    return c;
  };
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                for (const auto& c : {make("1", {"abc"}), make("2", {"xabc", "q\"abc"}), make("3", {"z", "abc"})}) {
                  if (auto r = repos().assistant_configs.Insert(uow, c); !r) return r;
                }
                return core::Ok{};
              }).ok());
  core::assistants::GalleryQuery q;
  q.tags = {"abc"};
  q.sort = core::assistants::GallerySort::kNewest;
  auto page = repos().assistant_configs.Browse(q);
  ASSERT_TRUE(page.ok()) << page.error().internal_message();
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, "3");
  EXPECT_EQ(page->items[1].id, "1");
  q.tags = {};
  q.search = "CONFIG 2";
  EXPECT_EQ(repos().assistant_configs.Browse(q)->total, 1);  // case-insensitive search

  std::vector<bool> changes;
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                for (int i = 0; i < 2; ++i) {
                  auto added = repos().assistant_configs.AddSave(uow, "ann", "1", "now");
                  if (!added) return added.error();
                  changes.push_back(*added);
                }
                auto removed = repos().assistant_configs.RemoveSave(uow, "ann", "1");
                if (!removed) return removed.error();
                changes.push_back(*removed);
                auto again = repos().assistant_configs.RemoveSave(uow, "ann", "1");
                if (!again) return again.error();
                changes.push_back(*again);
                return core::Ok{};
              }).ok());
  EXPECT_EQ(changes, (std::vector<bool>{true, false, true, false}));
  EXPECT_EQ((*repos().assistant_configs.Find("1"))->saves_count, 0);
}

TEST_P(StorageContract, ImagesOfOneInstantComeNewestInsertedFirst) {
  AddUser("ann", "ann@example.com");
  for (const char* id : {"i1", "i2", "i3"}) {
    core::images::GeneratedImage g;
    g.id = id;
    g.user_id = "ann";
    g.prompt = "p";
    g.model_id = "m";
    g.mime = "image/png";
    g.usage.images = std::string(id) == "i1" ? 0 : 1;  // i1: usage unknown
    g.created_at = std::string(id) == "i3" ? "2024-01-01T00:00:00Z" : "2024-05-06T07:08:09Z";
    ASSERT_TRUE(repos().images.Insert(g).ok());
  }
  auto page = repos().images.History("ann", false, 10, 0);
  ASSERT_TRUE(page.ok()) << page.error().internal_message();
  ASSERT_EQ(page->images.size(), 3u);
  EXPECT_EQ(page->images[0].usage.images, 1);
  EXPECT_EQ(page->images[1].usage.images, 0);
  EXPECT_EQ(page->images[0].id, "i2");
  EXPECT_EQ(page->images[1].id, "i1");
  EXPECT_EQ(page->images[2].id, "i3");
  EXPECT_EQ(*repos().images.ToggleFavorite("ann", "i1"), std::optional<bool>(true));
  EXPECT_EQ(*repos().images.ToggleFavorite("bob", "i1"), std::nullopt);
  EXPECT_EQ(repos().images.History("ann", true, 10, 0)->total, 1);
  EXPECT_EQ(*repos().images.Delete("ann", "i1"), true);
  EXPECT_EQ(*repos().images.Delete("ann", "i1"), false);
}

TEST_P(StorageContract, ArenaSessionsComeMostRecentlyUpdatedFirst) {
  AddUser("ann", "ann@example.com");
  for (const char* id : {"s1", "s2"}) {
    core::arena::ArenaSession s{id, "ann", {"c1", "c2"}, "title", 0, "2024-05-06T07:08:09Z", "2024-05-06T07:08:09Z"};
    ASSERT_TRUE(repos().arena.InsertSession(s).ok());
  }
  auto page = repos().arena.ListSessions("ann", 10, 0);
  ASSERT_TRUE(page.ok()) << page.error().internal_message();
  ASSERT_EQ(page->sessions.size(), 2u);
  EXPECT_EQ(page->sessions[0].id, "s2");  // a tie: the later one first
  EXPECT_EQ(page->sessions[0].config_ids, (std::vector<std::string>{"c1", "c2"}));

  bool appended = false;
  core::arena::ArenaMessage m{"m1", "s1", "user", "", "hi", "{}", "2024-05-07T00:00:00Z"};
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                auto a = repos().arena.AppendMessage(uow, "ann", m);
                if (!a) return a.error();
                appended = *a;
                m.session_id = "nope";
                auto none = repos().arena.AppendMessage(uow, "ann", m);
                if (!none) return none.error();
                EXPECT_FALSE(*none);
                return core::Ok{};
              }).ok());
  EXPECT_TRUE(appended);
  page = repos().arena.ListSessions("ann", 10, 0);
  EXPECT_EQ(page->sessions[0].id, "s1");
  EXPECT_EQ(page->sessions[0].message_count, 1);
  EXPECT_EQ(repos().arena.Messages("s1")->size(), 1u);
  EXPECT_EQ(*repos().arena.DeleteSession("ann", "s1"), true);
  EXPECT_TRUE(repos().arena.Messages("s1")->empty());
}

TEST_P(StorageContract, UsageQueriesCountWhatTheConversationsHold) {
  AddUser("ann", "ann@example.com", "2024-05-01T00:00:00Z");
  auto& store = repos().conversations;
  core::chat::TurnRecord turn;
  turn.user_id = "ann";
  turn.conversation_id = store.NewId();
  turn.create = core::chat::NewConversation{.title = "t"};
  for (int i = 0; i < 2; ++i) {
    core::chat::Message m;
    m.id = store.NewId();
    m.conversation_id = turn.conversation_id;
    m.role = i == 0 ? "user" : "assistant";
    m.content = "x";
    if (i == 1) m.generation = core::chat::GenerationMetadata{.model = "gpt", .total_tokens = 12, .cost_usd = 0.5};
    m.created_at = m.updated_at = store.Now();
    turn.append.push_back(std::move(m));
  }
  turn.usage.total_tokens = 12;
  ASSERT_TRUE(store.CommitTurn(turn).ok());
  const std::string start = "2000-01-01T00:00:00";
  auto totals = repos().usage.Totals(start);
  ASSERT_TRUE(totals.ok()) << totals.error().internal_message();
  EXPECT_EQ(totals->users_total, 1);
  EXPECT_EQ(totals->users_active, 1);
  EXPECT_EQ(totals->conversations_total, 1);
  EXPECT_EQ(totals->messages_total, 2);
  EXPECT_EQ(totals->tokens_total, 12);
  auto costs = repos().usage.CostsSince(start);
  ASSERT_TRUE(costs.ok()) << costs.error().internal_message();
  ASSERT_EQ(costs->size(), 1u);
  EXPECT_EQ((*costs)[0].model, "gpt");
  EXPECT_DOUBLE_EQ((*costs)[0].total_cost, 0.5);
  auto daily = repos().usage.DailySince(start);
  ASSERT_TRUE(daily.ok());
  ASSERT_EQ(daily->messages.size(), 1u);
  EXPECT_EQ(daily->messages[0].count, 2);
  EXPECT_EQ(daily->messages[0].tokens, 12);
  ASSERT_EQ(daily->users.size(), 1u);
  EXPECT_EQ(daily->users[0].date, "2024-05-01");
}

}  // namespace
}  // namespace atrium::storage::contract
