// Memories through MemoryService on each driver: owner scoping, full-text match and
// highlight, recall ranking and access counting, tag and type filters, update and
// delete, and the bus announcements.

#include "storage/contract/memory_contract_fixture.hpp"

namespace atrium::storage::contract {
namespace {

using core::memory::MemoryChanged;
using core::memory::MemoryOrigin;
using core::memory::MemoryType;
using core::memory::NewMemory;

TEST_P(MemoryContract, SavedMemoriesAreTheOwnersOnly) {
  auto sub = bus_.Subscribe({core::events::topics::User("ann")}, {});
  const auto m = Save("ann", "  User prefers dark mode\x01 and minimal UI  ", MemoryType::kPreference, 0.8,
                      {"UI", "settings", "ui"});
  EXPECT_EQ(m.content, "User prefers dark mode and minimal UI");
  EXPECT_EQ(m.tags, (std::vector<std::string>{"ui", "settings"}));
  EXPECT_EQ(m.access_count, 0);
  auto got = service_->Get("ann", m.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->type, MemoryType::kPreference);
  EXPECT_DOUBLE_EQ(got->importance, 0.8);
  EXPECT_EQ(got->tags, m.tags);
  ExpectCode(service_->Get("bob", m.id), core::ErrorCode::kNotFound, core::Reason::kMemoryNotFound);
  ExpectCode(service_->Update("bob", m.id, {.content = "x"}), core::ErrorCode::kNotFound,
             core::Reason::kMemoryNotFound);
  ExpectCode(service_->Delete("bob", m.id), core::ErrorCode::kNotFound, core::Reason::kMemoryNotFound);
  EXPECT_EQ(*service_->Count("ann"), 1);
  EXPECT_EQ(*service_->Count("bob"), 0);
  auto hits = service_->Search("bob", {.q = "dark"});
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->items.empty());

  auto event = sub->TryPop();
  ASSERT_NE(event, nullptr);
  const auto* changed = event->As<MemoryChanged>();
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ(changed->memory_id, m.id);
  EXPECT_EQ(changed->change, core::memory::MemoryChange::kCreated);
  EXPECT_EQ(changed->origin, MemoryOrigin::kManual);
}

TEST_P(MemoryContract, BadFieldsAreRefusedAndNothingIsStored) {
  NewMemory empty;
  empty.content = " \n ";
  ExpectCode(service_->Save("ann", empty), core::ErrorCode::kInvalidArgument);
  NewMemory heavy;
  heavy.content = "x";
  heavy.importance = 1.5;
  ExpectCode(service_->Save("ann", heavy), core::ErrorCode::kInvalidArgument);
  NewMemory long_text;
  long_text.content = std::string(4001, 'a');
  ExpectCode(service_->Save("ann", long_text), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(*service_->Count("ann"), 0);
}

TEST_P(MemoryContract, SearchMatchesEveryWordWithStemsAndHighlightsEscaped) {
  const auto a = Save("ann", "User is learning Python async programming & <script>", MemoryType::kFact, 0.7,
                      {"programming", "python"});
  Save("ann", "User programs in Rust", MemoryType::kFact, 0.5, {"rust"});
  Save("ann", "Likes hiking in the Alps", MemoryType::kEvent);
  auto page = service_->Search("ann", {.q = "python programming"});
  ASSERT_TRUE(page.ok()) << page.error().internal_message();
  ASSERT_EQ(page->total, 1);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].memory.id, a.id);
  EXPECT_EQ(page->items[0].highlighted_html,
            "User is learning <mark>Python</mark> async <mark>programming</mark> &amp; &lt;script&gt;");
  EXPECT_GT(page->items[0].match_score, 0.9);
  // The stemmer: "programs" and "programming" share a stem.
  auto stems = service_->Search("ann", {.q = "program"});
  ASSERT_TRUE(stems.ok());
  EXPECT_EQ(stems->total, 2);
  // Filters: type and any of the tags.
  auto typed = service_->Search("ann", {.q = "user", .type = MemoryType::kEvent});
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(typed->total, 0);
  auto tagged = service_->Search("ann", {.q = "user", .tags = {"RUST", "go"}});
  ASSERT_TRUE(tagged.ok());
  ASSERT_EQ(tagged->total, 1);
  EXPECT_EQ(tagged->items[0].memory.content, "User programs in Rust");
  // Engine syntax is text, and a query without words matches nothing.
  for (const char* q : {"\"python", "python*", "NEAR(python", "-python", "python OR", "' ; DROP TABLE memories"}) {
    auto r = service_->Search("ann", {.q = q});
    ASSERT_TRUE(r.ok()) << q << ": " << r.error().internal_message();
  }
  auto none = service_->Search("ann", {.q = "?!"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total, 0);
  // Pages.
  for (int i = 0; i < 5; ++i) Save("ann", "note number " + std::to_string(i) + " about gardening");
  auto p1 = service_->Search("ann", {.q = "gardening", .page = 1, .limit = 2});
  auto p3 = service_->Search("ann", {.q = "gardening", .page = 3, .limit = 2});
  ASSERT_TRUE(p1.ok() && p3.ok());
  EXPECT_EQ(p1->total, 5);
  EXPECT_EQ(p1->items.size(), 2u);
  EXPECT_EQ(p3->items.size(), 1u);
}

TEST_P(MemoryContract, RecallRanksByTheFormulaAndCountsAccess) {
  const auto ui = Save("ann", "User prefers dark mode and minimal UI", MemoryType::kPreference, 0.8, {"ui"});
  const auto job = Save("ann", "User works as a software engineer", MemoryType::kFact, 0.9);
  Save("ann", "Allergic to peanuts", MemoryType::kFact, 0.9);
  auto recalled = service_->Recall("ann", {.query = "user interface preferences", .limit = 5});
  ASSERT_TRUE(recalled.ok()) << recalled.error().internal_message();
  ASSERT_EQ(recalled->size(), 2u);  // the peanuts share no word with the query
  EXPECT_EQ((*recalled)[0].memory.id, ui.id);
  EXPECT_EQ((*recalled)[1].memory.id, job.id);
  EXPECT_GT((*recalled)[0].relevance, (*recalled)[1].relevance);
  EXPECT_LE((*recalled)[0].relevance, 1.0);
  EXPECT_EQ((*recalled)[0].memory.access_count, 1);
  ASSERT_TRUE((*recalled)[0].memory.last_accessed.has_value());
  auto stored = service_->Get("ann", ui.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->access_count, 1);
  EXPECT_EQ(stored->last_accessed, (*recalled)[0].memory.last_accessed);
  // The type filter, and recall without a query: importance and recency decide.
  auto prefs = service_->Recall("ann", {.query = "user", .limit = 5, .type = MemoryType::kPreference});
  ASSERT_TRUE(prefs.ok());
  ASSERT_EQ(prefs->size(), 1u);
  auto all = service_->Recall("ann", {.query = "", .limit = 2});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  // Relevant() is what a chat turn sees: matches only, nothing counted.
  auto relevant = service_->Relevant("ann", "what about peanuts?", 5);
  ASSERT_TRUE(relevant.ok());
  ASSERT_EQ(relevant->size(), 1u);
  EXPECT_EQ((*relevant)[0].memory.access_count, 0);
  ExpectCode(service_->Recall("ann", {.query = "x", .limit = 0}), core::ErrorCode::kInvalidArgument);
  auto bobs = service_->Recall("bob", {.query = "user interface preferences"});
  ASSERT_TRUE(bobs.ok());
  EXPECT_TRUE(bobs->empty());
}

TEST_P(MemoryContract, UpdateChangesTheIndexAndDeleteRemovesIt) {
  const auto m = Save("ann", "User prefers dark mode", MemoryType::kPreference, 0.8, {"ui"});
  auto updated = service_->Update("ann", m.id, {.content = "User strongly prefers light themes", .importance = 0.9,
                                                .tags = std::vector<std::string>{"ui", "Critical"}});
  ASSERT_TRUE(updated.ok()) << updated.error().internal_message();
  EXPECT_EQ(updated->content, "User strongly prefers light themes");
  EXPECT_DOUBLE_EQ(updated->importance, 0.9);
  EXPECT_EQ(updated->tags, (std::vector<std::string>{"ui", "critical"}));
  EXPECT_EQ(updated->type, MemoryType::kPreference);
  EXPECT_NE(updated->updated_at, m.updated_at);
  EXPECT_EQ(service_->Search("ann", {.q = "dark"})->total, 0);
  EXPECT_EQ(service_->Search("ann", {.q = "light"})->total, 1);
  EXPECT_EQ(service_->Search("ann", {.q = "themes", .tags = {"critical"}})->total, 1);
  ExpectCode(service_->Update("ann", m.id, {.importance = -0.1}), core::ErrorCode::kInvalidArgument);
  ASSERT_TRUE(service_->Delete("ann", m.id).ok());
  ExpectCode(service_->Get("ann", m.id), core::ErrorCode::kNotFound, core::Reason::kMemoryNotFound);
  EXPECT_EQ(service_->Search("ann", {.q = "light"})->total, 0);
  EXPECT_EQ(*service_->CountAll(), 0);
}

}  // namespace
}  // namespace atrium::storage::contract
