// UserAdmin and admin-audited template changes: a change and its audit entry commit
// together, so a change whose audit entry cannot be written is not made (and a ban whose
// audit failed revokes nothing and announces nothing).

#include "core/admin/user_admin.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "core/identity/identity_fixture.hpp"
#include "core/prompts/prompt_template_service.hpp"
#include "support/failing_audit_repository.hpp"

namespace atrium::core::admin {
namespace {

using identity::AuthResult;
using identity::Principal;
using identity::Role;
using identity::UserStatus;

class UserAdminTest : public identity::IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    audit_ = std::make_unique<audit::AuditLog>(repos(), clock_, random_);
    admin_ = std::make_unique<UserAdmin>(*service_, *audit_);
    root_ = Register("root@example.com");
    ASSERT_TRUE(service_->SetRole(root_.user.id, Role::kAdmin).ok());
    bob_ = Register("bob@example.com");
  }

  Principal Root() const { return Principal{root_.user.id, root_.session_id, Role::kAdmin, 0}; }

  // Every audit write fails from now on, as a full or broken store would.
  void BreakAuditLog() {
    auto made = db_->Execute(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_logs BEGIN SELECT RAISE(ABORT, 'injected'); END");
    ASSERT_TRUE(made.ok()) << made.error().internal_message();
  }
  void RepairAuditLog() { ASSERT_TRUE(db_->Execute("DROP TRIGGER refuse_audit").ok()); }

  std::int64_t AuditCount(const std::string& action) {
    auto page = audit_->List(action, 0, 100);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->total : -1;
  }

  static void ExpectAuditFault(const Result<void>& r) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
    EXPECT_EQ(r.error().internal_message(), "step: injected");
  }

  identity::User Bob() {
    auto u = service_->GetUser(bob_.user.id);
    EXPECT_TRUE(u.ok());
    return u.ok() ? *u : identity::User{};
  }

  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<UserAdmin> admin_;
  AuthResult root_;
  AuthResult bob_;
};

TEST_F(UserAdminTest, ABanWhoseAuditWriteFailsLeavesTheUserUnbanned) {
  auto watch = events_.Subscribe({events::topics::UserSessions(bob_.user.id)}, {});
  BreakAuditLog();
  ExpectAuditFault(admin_->Ban(Root(), bob_.user.id, std::string("spam")));
  EXPECT_EQ(Bob().status, UserStatus::kActive);
  EXPECT_TRUE(service_->Authenticate(bob_.tokens.access_token).ok());  // sessions not revoked
  EXPECT_EQ(watch->TryPop(), nullptr);                                 // and no revocation announced
  EXPECT_EQ(AuditCount("ban_user"), 0);

  RepairAuditLog();
  ASSERT_TRUE(admin_->Ban(Root(), bob_.user.id, std::string("spam")).ok());
  EXPECT_EQ(Bob().status, UserStatus::kBanned);
  EXPECT_FALSE(service_->Authenticate(bob_.tokens.access_token).ok());
  EXPECT_NE(watch->PopFor(std::chrono::seconds(1)), nullptr);
  EXPECT_EQ(AuditCount("ban_user"), 1);
}

// The same through the interface: the real UserAdmin over an audit repository whose
// appends fail (fault injection by decorator, no SQL involved).
TEST_F(UserAdminTest, ABanWhoseAuditRepositoryFailsLeavesTheUserUnbanned) {
  atrium::testing::FailingAuditRepository failing(repos().audit);
  const persistence::Repositories broken = atrium::testing::WithAudit(repos(), failing);
  audit::AuditLog audit(broken, clock_, random_);
  UserAdmin admin(*service_, audit);
  auto watch = events_.Subscribe({events::topics::UserSessions(bob_.user.id)}, {});

  auto banned = admin.Ban(Root(), bob_.user.id, std::string("spam"));
  ASSERT_FALSE(banned.ok());
  EXPECT_EQ(banned.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(banned.error().internal_message(), "injected audit failure");
  EXPECT_EQ(Bob().status, UserStatus::kActive);
  EXPECT_EQ(Bob().ban_reason, std::nullopt);
  EXPECT_TRUE(service_->Authenticate(bob_.tokens.access_token).ok());
  EXPECT_EQ(watch->TryPop(), nullptr);
  EXPECT_EQ(AuditCount("ban_user"), 0);

  failing.failing = false;
  ASSERT_TRUE(admin.Ban(Root(), bob_.user.id, std::string("spam")).ok());
  EXPECT_EQ(Bob().status, UserStatus::kBanned);
  EXPECT_EQ(AuditCount("ban_user"), 1);
}

TEST_F(UserAdminTest, AnUnbanWhoseAuditWriteFailsLeavesTheUserBanned) {
  ASSERT_TRUE(admin_->Ban(Root(), bob_.user.id, std::nullopt).ok());
  BreakAuditLog();
  ExpectAuditFault(admin_->Unban(Root(), bob_.user.id));
  EXPECT_EQ(Bob().status, UserStatus::kBanned);
  RepairAuditLog();
  ASSERT_TRUE(admin_->Unban(Root(), bob_.user.id).ok());
  EXPECT_EQ(Bob().status, UserStatus::kActive);
  EXPECT_EQ(AuditCount("unban_user"), 1);
}

TEST_F(UserAdminTest, ALimitChangeWhoseAuditWriteFailsLeavesTheLimit) {
  const std::int64_t before = Bob().usage.tokens_limit;
  BreakAuditLog();
  ExpectAuditFault(admin_->SetTokenLimit(Root(), bob_.user.id, 500000));
  EXPECT_EQ(Bob().usage.tokens_limit, before);
  RepairAuditLog();
  ASSERT_TRUE(admin_->SetTokenLimit(Root(), bob_.user.id, 500000).ok());
  EXPECT_EQ(Bob().usage.tokens_limit, 500000);
  EXPECT_EQ(AuditCount("update_limits"), 1);
}

TEST_F(UserAdminTest, APromptTemplateChangeWhoseAuditWriteFailsIsNotMade) {
  prompts::PromptTemplateService templates(repos(), clock_, random_);
  auto audited = [&](const char* action) {
    return [&, action](persistence::UnitOfWork& tx, const prompts::PromptTemplate& t) {
      return admin_->Audit(tx, Root(), action, t.id);
    };
  };
  prompts::TemplateFields fields;
  fields.name = "Greeting";
  fields.category = "general";
  fields.template_text = "Hello {{name}}";
  auto made = templates.Create(root_.user.id, fields, audited("create_prompt_template"));
  ASSERT_TRUE(made.ok()) << made.error().internal_message();

  BreakAuditLog();
  auto second = templates.Create(root_.user.id, fields, audited("create_prompt_template"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().internal_message(), "step: injected");
  auto listed = templates.ListActive("");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 1u);

  prompts::TemplateFields rename;
  rename.name = "Renamed";
  auto updated = templates.Update(made->id, rename, audited("update_prompt_template"));
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().internal_message(), "step: injected");
  EXPECT_EQ(templates.Get(made->id)->name, "Greeting");

  ExpectAuditFault(templates.Delete(made->id, [&](persistence::UnitOfWork& tx) {
    return admin_->Audit(tx, Root(), "delete_prompt_template", made->id);
  }));
  EXPECT_TRUE(templates.Get(made->id).ok());
  RepairAuditLog();
  EXPECT_EQ(AuditCount(""), 1);
}

}  // namespace
}  // namespace atrium::core::admin
