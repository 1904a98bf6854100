#include "app/dialect_factory.hpp"

#include "dialects/mira/mira.hpp"
#include "dialects/openai/openai.hpp"
#include "dialects/pisovereign/pisovereign.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "dialects/unamentis/unamentis.hpp"
#include "dialects/unichat/unichat.hpp"

namespace atrium::app {

// Each Deps is an aggregate whose first element is its CommonDeps base; the members
// follow in their declaration order (dialects/<name>/deps.hpp).

dialects::CommonDeps CommonDepsOf(const CoreServices& core) {
  return {.clock = core.clock,
          .identity = core.identity,
          .api_keys = core.api_keys,
          .limiter = core.limiter,
          .events = core.events,
          .settings = core.settings};
}

dialects::unamentis::Deps UnamentisDeps(const CoreServices& core) {
  return {CommonDepsOf(core), core.health, core.client_logs, core.media};
}

dialects::unichat::Deps UnichatDeps(const CoreServices& core) {
  return {CommonDepsOf(core), core.health, core.assistants, core.prompt_templates, core.audit,
          core.user_admin,    core.images, core.arena,      core.analytics,        core.gateway,
          core.conversations, core.chat,   core.arena_chat,       core.turns};
}

dialects::secondbrain::Deps SecondbrainDeps(const CoreServices& core) {
  return {CommonDepsOf(core), core.health,  core.models,  core.conversations, core.chat,
          core.turns,         core.memory,  core.exports, core.documents,     core.retriever,
          core.speech,        core.gateway, core.metrics, core.inference,     core.analytics};
}

dialects::pisovereign::Deps PisovereignDeps(const CoreServices& core) {
  return {CommonDepsOf(core), core.health, core.metrics,  core.inference, core.shared_state, core.models,
          core.gateway,       core.chat,   core.commands, core.whatsapp,  core.deliveries,   core.responder};
}

dialects::mira::Deps MiraDeps(const CoreServices& core) { return {CommonDepsOf(core), core.health, core.metrics}; }

dialects::openai::Deps OpenAiDeps(const CoreServices& core) {
  return {CommonDepsOf(core), core.gateway, core.conversations, core.chat};
}

core::Result<std::unique_ptr<dialects::Dialect>> MakeDialect(const dialects::DialectInfo& info,
                                                             const CoreServices& core) {
  namespace d = dialects;
  if (&info == &d::unamentis::kInfo) return d::unamentis::MakeDialect(UnamentisDeps(core));
  if (&info == &d::unichat::kInfo) return d::unichat::MakeDialect(UnichatDeps(core));
  if (&info == &d::secondbrain::kInfo) return d::secondbrain::MakeDialect(SecondbrainDeps(core));
  if (&info == &d::pisovereign::kInfo) return d::pisovereign::MakeDialect(PisovereignDeps(core));
  if (&info == &d::mira::kInfo) return d::mira::MakeDialect(MiraDeps(core));
  if (&info == &d::openai::kInfo) return d::openai::MakeDialect(OpenAiDeps(core));
  return core::Error(core::ErrorCode::kInternal, "dialect '" + std::string(info.name) + "' has no module");
}

}  // namespace atrium::app
