#pragma once
// ImageRepository in portable SQL (table generated_images; insertion order by seq).

#include "core/images/image_repository.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class SqlImageRepository final : public core::images::ImageRepository {
 public:
  explicit SqlImageRepository(Database& db) : db_(db) {}

  core::Result<void> Insert(const core::images::GeneratedImage& image) override;
  core::Result<core::images::ImagePage> History(const std::string& user_id, bool favorites_only, std::int64_t limit,
                                                std::int64_t offset) override;
  core::Result<std::optional<core::images::GeneratedImage>> Find(const std::string& user_id,
                                                                 const std::string& id) override;
  core::Result<bool> Delete(const std::string& user_id, const std::string& id) override;
  core::Result<std::optional<bool>> ToggleFavorite(const std::string& user_id, const std::string& id) override;

 private:
  Database& db_;
};

}  // namespace atrium::storage::sql
