#include "core/assistants/assistant_config_service.hpp"

namespace atrium::core::assistants {

namespace {

Error NotFound() { return Error(ErrorCode::kNotFound, "Config not found").WithReason(Reason::kConfigNotFound); }
Error AsTemplateError(const Error& e) {
  if (e.code() != ErrorCode::kNotFound) return e;
  return Error(ErrorCode::kNotFound, "Template not found").WithReason(Reason::kTemplateNotFound);
}

bool Shared(const AssistantConfig& c) { return c.visibility != Visibility::kPrivate; }
bool IsTemplate(const AssistantConfig& c) { return c.visibility == Visibility::kTemplate; }
// The configs a user may change: their own, not the templates they made as an admin.
auto OwnedBy(const std::string& owner_id) {
  return [&owner_id](const AssistantConfig& c) { return c.owner_id == owner_id && !IsTemplate(c); };
}

}  // namespace

AssistantConfigService::AssistantConfigService(const persistence::Repositories& repos, const Clock& clock,
                                               Random& random)
    : transactions_(repos.transactions), clock_(clock), random_(random), store_(repos.assistant_configs) {}

std::string AssistantConfigService::Now() const { return FormatRfc3339(clock_.Now()); }

template <class Pred>
Result<AssistantConfig> AssistantConfigService::Load(persistence::UnitOfWork& tx, const std::string& id, Pred allowed) {
  auto found = store_.Find(tx, id);
  if (!found) return found.error();
  if (!*found || !allowed(**found)) return NotFound();
  return std::move(**found);
}

template <class Pred, class Mutate>
Result<AssistantConfig> AssistantConfigService::Modify(const std::string& id, Pred allowed, Mutate mutate,
                                                       const AlsoWith& also) {
  std::optional<AssistantConfig> updated;
  // Read-modify-write: serializable, the row locked by the read.
  auto done = transactions_.Run(persistence::Isolation::kSerializable, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto config = Load(tx, id, allowed);
    if (!config) return config.error();
    mutate(*config);
    config->updated_at = Now();
    if (auto w = store_.Update(tx, *config); !w) return w;
    if (also) {
      if (auto a = also(tx, *config); !a) return a;
    }
    updated = std::move(*config);
    return Ok{};
  });
  if (!done) return done.error();
  return std::move(*updated);
}

Result<AssistantConfig> AssistantConfigService::Insert(AssistantConfig config, const AlsoWith& also) {
  config.id = NewUuid(random_);
  config.created_at = config.updated_at = Now();
  auto stored =
      transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
        if (auto w = store_.Insert(tx, config); !w) return w;
        if (also) return also(tx, config);
        return Ok{};
      });
  if (!stored) return stored.error();
  return config;
}

Result<AssistantConfig> AssistantConfigService::Create(const std::string& owner_id, const ConfigFields& fields) {
  if (auto valid = Validate(fields, true); !valid) return valid.error();
  AssistantConfig config;
  config.owner_id = owner_id;
  Apply(fields, config);
  return Insert(std::move(config));
}

Result<AssistantConfig> AssistantConfigService::Get(const std::string& viewer_id, const std::string& id) {
  auto found = store_.Find(id);
  if (!found) return found.error();
  if (!*found || (!Shared(**found) && (*found)->owner_id != viewer_id)) return NotFound();
  return std::move(**found);
}

Result<Page<AssistantConfig>> AssistantConfigService::ListOwned(const std::string& owner_id, std::int64_t limit,
                                                                std::int64_t offset) {
  return store_.ListOwned(owner_id, limit, offset);
}

Result<std::int64_t> AssistantConfigService::CountOwned(const std::string& owner_id) {
  return store_.CountOwned(owner_id);
}

Result<AssistantConfig> AssistantConfigService::Update(const std::string& owner_id, const std::string& id,
                                                       const ConfigFields& fields) {
  if (auto valid = Validate(fields, false); !valid) return valid.error();
  return Modify(id, OwnedBy(owner_id), [&](AssistantConfig& c) { Apply(fields, c); });
}

Result<void> AssistantConfigService::Delete(const std::string& owner_id, const std::string& id) {
  return transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto config = Load(tx, id, OwnedBy(owner_id));
    if (!config) return config.error();
    return store_.Delete(tx, id);
  });
}

Result<AssistantConfig> AssistantConfigService::SetPublic(const std::string& owner_id, const std::string& id,
                                                          bool is_public) {
  return Modify(id, OwnedBy(owner_id), [is_public](AssistantConfig& c) {
    c.visibility = is_public ? Visibility::kPublic : Visibility::kPrivate;
  });
}

Result<AssistantConfig> AssistantConfigService::CopyFor(persistence::UnitOfWork& tx, const std::string& user_id,
                                                        const AssistantConfig& source, std::string name) {
  AssistantConfig copy = source;
  copy.id = NewUuid(random_);
  copy.owner_id = user_id;
  copy.name = std::move(name);
  copy.visibility = Visibility::kPrivate;
  copy.uses_count = copy.saves_count = 0;
  copy.created_at = copy.updated_at = Now();
  if (auto w = store_.Insert(tx, copy); !w) return w.error();
  return copy;
}

Result<AssistantConfig> AssistantConfigService::Duplicate(const std::string& viewer_id, const std::string& id,
                                                          const std::optional<std::string>& name) {
  if (name) {
    ConfigFields fields;
    fields.name = name;
    if (auto valid = Validate(fields, false); !valid) return valid.error();
  }
  std::optional<AssistantConfig> copy;
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto source = Load(tx, id, [&](const AssistantConfig& c) { return Shared(c) || c.owner_id == viewer_id; });
    if (!source) return source.error();
    auto made = CopyFor(tx, viewer_id, *source, name ? *name : CutChars("Copy of " + source->name, kMaxNameChars));
    if (!made) return made.error();
    copy = std::move(*made);
    return Ok{};
  });
  if (!done) return done.error();
  return std::move(*copy);
}

Result<Page<AssistantConfig>> AssistantConfigService::Browse(const GalleryQuery& query) { return store_.Browse(query); }

Result<AssistantConfig> AssistantConfigService::GetShared(const std::string& id) {
  auto found = store_.Find(id);
  if (!found) return found.error();
  if (!*found || !Shared(**found)) return NotFound();
  return std::move(**found);
}

Result<void> AssistantConfigService::Save(const std::string& user_id, const std::string& id) {
  return transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto config = Load(tx, id, Shared);
    if (!config) return config.error();
    auto added = store_.AddSave(tx, user_id, id, Now());
    if (!added) return added.error();
    return Ok{};
  });
}

Result<void> AssistantConfigService::Unsave(const std::string& user_id, const std::string& id) {
  return transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    // A bookmark of a config that has since become private can still be removed.
    auto removed = store_.RemoveSave(tx, user_id, id);
    if (!removed) return removed.error();
    if (*removed) return Ok{};
    auto config = Load(tx, id, Shared);
    if (!config) return config.error();
    return Ok{};
  });
}

Result<std::vector<AssistantConfig>> AssistantConfigService::Saved(const std::string& user_id) {
  return store_.ListSaved(user_id);
}

Result<AssistantConfig> AssistantConfigService::Use(const std::string& user_id, const std::string& id) {
  std::optional<AssistantConfig> copy;
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto source = Load(tx, id, Shared);
    if (!source) return source.error();
    if (auto counted = store_.AddUse(tx, id); !counted) return counted;
    auto made = CopyFor(tx, user_id, *source, source->name);
    if (!made) return made.error();
    copy = std::move(*made);
    return Ok{};
  });
  if (!done) return done.error();
  return std::move(*copy);
}

Result<Page<AssistantConfig>> AssistantConfigService::ListTemplates(std::int64_t limit, std::int64_t offset) {
  return store_.ListTemplates(limit, offset);
}

Result<AssistantConfig> AssistantConfigService::CreateTemplate(const std::string& admin_id, const ConfigFields& fields,
                                                               const AlsoWith& also) {
  if (auto valid = Validate(fields, true); !valid) return valid.error();
  AssistantConfig config;
  config.owner_id = admin_id;
  config.visibility = Visibility::kTemplate;
  Apply(fields, config);
  return Insert(std::move(config), also);
}

Result<AssistantConfig> AssistantConfigService::UpdateTemplate(const std::string& id, const ConfigFields& fields,
                                                               const AlsoWith& also) {
  if (auto valid = Validate(fields, false); !valid) return valid.error();
  auto updated = Modify(id, IsTemplate, [&](AssistantConfig& c) { Apply(fields, c); }, also);
  if (!updated) return AsTemplateError(updated.error());
  return updated;
}

Result<void> AssistantConfigService::DeleteTemplate(const std::string& id, const persistence::TransactionStep& also) {
  return transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto config = Load(tx, id, IsTemplate);
    if (!config) return AsTemplateError(config.error());
    if (auto d = store_.Delete(tx, id); !d) return d;
    if (also) return also(tx);
    return Ok{};
  });
}

}  // namespace atrium::core::assistants
