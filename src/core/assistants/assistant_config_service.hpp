#pragma once
// The rules around assistant configurations: who may see and change which, the public
// gallery, bookmarks, copies, and the templates admins curate.
//
// Visibility: a private config is its owner's alone; another user is told it does not
// exist (kNotFound), never that it is forbidden, so ids cannot be probed. Public configs
// and templates can be read, copied and bookmarked by every signed-in user; only the
// owner changes a config, only an admin changes a template (checked by the caller, who
// knows the role).
//
// Thread-safety: every method may be called from several threads at once.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/assistants/assistant_config.hpp"
#include "core/assistants/assistant_config_repository.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "core/persistence/repositories.hpp"
#include "core/persistence/unit_of_work.hpp"

namespace atrium::core::assistants {

class AssistantConfigService {
 public:
  AssistantConfigService(const persistence::Repositories& repos, const Clock& clock, Random& random);

  Result<AssistantConfig> Create(const std::string& owner_id, const ConfigFields& fields);
  // The owner's own, or any public config or template.
  Result<AssistantConfig> Get(const std::string& viewer_id, const std::string& id);
  Result<Page<AssistantConfig>> ListOwned(const std::string& owner_id, std::int64_t limit, std::int64_t offset);
  Result<std::int64_t> CountOwned(const std::string& owner_id);
  // Owner only.
  Result<AssistantConfig> Update(const std::string& owner_id, const std::string& id, const ConfigFields& fields);
  Result<void> Delete(const std::string& owner_id, const std::string& id);
  Result<AssistantConfig> SetPublic(const std::string& owner_id, const std::string& id, bool is_public);
  // A private copy, for the viewer, of a config they can see. `name` defaults to
  // "Copy of <name>" (cut to the name limit).
  Result<AssistantConfig> Duplicate(const std::string& viewer_id, const std::string& id,
                                    const std::optional<std::string>& name);

  // The gallery: public configs.
  Result<Page<AssistantConfig>> Browse(const GalleryQuery& query);
  // A public config or template (not even its owner sees a private one here).
  Result<AssistantConfig> GetShared(const std::string& id);
  // Bookmarks of shared configs; both are idempotent.
  Result<void> Save(const std::string& user_id, const std::string& id);
  Result<void> Unsave(const std::string& user_id, const std::string& id);
  Result<std::vector<AssistantConfig>> Saved(const std::string& user_id);
  // Copies a shared config into the user's collection and counts the use.
  Result<AssistantConfig> Use(const std::string& user_id, const std::string& id);

  // Templates (the caller checks that the user is an admin). `also` runs in the same
  // unit of work as the change (the admin's audit entry); its error rolls both back.
  using AlsoWith = std::function<Result<void>(persistence::UnitOfWork&, const AssistantConfig&)>;
  Result<Page<AssistantConfig>> ListTemplates(std::int64_t limit, std::int64_t offset);
  Result<AssistantConfig> CreateTemplate(const std::string& admin_id, const ConfigFields& fields,
                                         const AlsoWith& also = {});
  Result<AssistantConfig> UpdateTemplate(const std::string& id, const ConfigFields& fields,
                                         const AlsoWith& also = {});
  Result<void> DeleteTemplate(const std::string& id, const persistence::TransactionStep& also = {});

 private:
  Result<AssistantConfig> Insert(AssistantConfig config, const AlsoWith& also = {});
  // Loads `id` inside `tx` and checks `allowed`; kNotFound otherwise.
  template <class Pred>
  Result<AssistantConfig> Load(persistence::UnitOfWork& tx, const std::string& id, Pred allowed);
  // Loads `id` in one write transaction, checks `allowed`, applies `mutate`, stamps
  // updated_at and stores it.
  template <class Pred, class Mutate>
  Result<AssistantConfig> Modify(const std::string& id, Pred allowed, Mutate mutate, const AlsoWith& also = {});
  Result<AssistantConfig> CopyFor(persistence::UnitOfWork& tx, const std::string& user_id, const AssistantConfig& source,
                                  std::string name);
  std::string Now() const;

  persistence::Transactions& transactions_;
  const Clock& clock_;
  Random& random_;
  AssistantConfigRepository& store_;
};

}  // namespace atrium::core::assistants
