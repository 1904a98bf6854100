#include "storage/sql/sql_memory_repository.hpp"

#include <algorithm>

#include "storage/sql/memory_rows.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace {

using core::memory::Memory;
using core::memory::MemoryFilter;

// " AND ..." over alias m for `filter`, its parameters appended to `params`.
std::string FilterCondition(const MemoryFilter& filter, Params& params) {
  std::string sql;
  if (filter.type) {
    sql += " AND m.type = ?";
    params.emplace_back(std::string(core::memory::TypeName(*filter.type)));
  }
  if (!filter.tags.empty()) {
    sql += " AND EXISTS (SELECT 1 FROM memory_tags t WHERE t.memory_id = m.id AND t.tag IN (";
    for (std::size_t i = 0; i < filter.tags.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
      params.emplace_back(filter.tags[i]);
    }
    sql += "))";
  }
  return sql;
}

core::Result<void> WriteTags(Executor& tx, const std::string& memory_id, const std::vector<std::string>& tags) {
  if (auto cleared = tx.Execute("DELETE FROM memory_tags WHERE memory_id = ?", {memory_id}); !cleared) {
    return cleared.error();
  }
  for (const auto& tag : tags) {
    if (auto added = tx.Execute("INSERT INTO memory_tags (memory_id, tag) VALUES (?, ?)", {memory_id, tag}); !added) {
      return added.error();
    }
  }
  return core::Ok{};
}

core::Result<std::optional<Memory>> GetWith(Executor& q, const std::string& user_id, const std::string& id) {
  auto rows = q.Query(std::string("SELECT ") + kMemoryColumns + " FROM memories m WHERE m.id = ? AND m.user_id = ?",
                      {id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Memory>{};
  return std::optional<Memory>{MemoryFrom(rows->rows[0])};
}

}  // namespace

core::Result<void> SqlMemoryRepository::Insert(const Memory& m) {
  return db_.Transact([&](Executor& tx) -> core::Result<void> {
    auto stored = tx.Execute(
        "INSERT INTO memories (id, user_id, content, type, importance, tags, source, origin, access_count,"
        " last_accessed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        Params{m.id, m.user_id, m.content, std::string(core::memory::TypeName(m.type)), m.importance, TagsText(m.tags),
               Opt(m.source), std::string(core::memory::OriginName(m.origin)), m.access_count, Opt(m.last_accessed),
               m.created_at, m.updated_at});
    if (!stored) return stored.error();
    return WriteTags(tx, m.id, m.tags);
  });
}

core::Result<std::optional<Memory>> SqlMemoryRepository::Get(const std::string& user_id, const std::string& id) {
  auto rows = db_.Query(std::string("SELECT ") + kMemoryColumns + " FROM memories m WHERE m.id = ? AND m.user_id = ?",
                        {id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Memory>{};
  return std::optional<Memory>{MemoryFrom(rows->rows[0])};
}

core::Result<std::optional<Memory>> SqlMemoryRepository::Update(const std::string& user_id, const std::string& id,
                                                                const core::memory::MemoryPatch& patch,
                                                                const std::string& now) {
  std::optional<Memory> out;
  auto done = db_.Transact([&](Executor& tx) -> core::Result<void> {
    std::string sql = "UPDATE memories SET updated_at = ?";
    Params params{now};
    if (patch.content) {
      sql += ", content = ?";
      params.emplace_back(*patch.content);
    }
    if (patch.type) {
      sql += ", type = ?";
      params.emplace_back(std::string(core::memory::TypeName(*patch.type)));
    }
    if (patch.importance) {
      sql += ", importance = ?";
      params.emplace_back(*patch.importance);
    }
    if (patch.tags) {
      sql += ", tags = ?";
      params.emplace_back(TagsText(*patch.tags));
    }
    sql += " WHERE id = ? AND user_id = ?";
    params.emplace_back(id);
    params.emplace_back(user_id);
    auto changed = tx.Execute(sql, params);
    if (!changed) return changed.error();
    if (*changed == 0) return core::Ok{};
    if (patch.tags) {
      if (auto tags = WriteTags(tx, id, *patch.tags); !tags) return tags.error();
    }
    // New words mean a new vector: the old one goes (the embedding job makes the next).
    if (patch.content) {
      if (auto vectors = tx.Execute("DELETE FROM embeddings WHERE item_kind = 'memory' AND item_id = ?", {id});
          !vectors) {
        return vectors.error();
      }
    }
    auto read = GetWith(tx, user_id, id);
    if (!read) return read.error();
    out = std::move(*read);
    return core::Ok{};
  });
  if (!done) return done.error();
  return out;
}

core::Result<bool> SqlMemoryRepository::Delete(const std::string& user_id, const std::string& id) {
  bool removed = false;
  auto done = db_.Transact([&](Executor& tx) -> core::Result<void> {
    // The tags go with the memory (ON DELETE CASCADE needs foreign keys on; say it anyway).
    auto owned = tx.Query("SELECT 1 FROM memories WHERE id = ? AND user_id = ?", {id, user_id});
    if (!owned) return owned.error();
    if (owned->empty()) return core::Ok{};
    if (auto tags = tx.Execute("DELETE FROM memory_tags WHERE memory_id = ?", {id}); !tags) return tags.error();
    if (auto vectors = tx.Execute("DELETE FROM embeddings WHERE item_kind = 'memory' AND item_id = ?", {id});
        !vectors) {
      return vectors.error();
    }
    auto gone = tx.Execute("DELETE FROM memories WHERE id = ? AND user_id = ?", {id, user_id});
    if (!gone) return gone.error();
    removed = *gone > 0;
    return core::Ok{};
  });
  if (!done) return done.error();
  return removed;
}

core::Result<std::int64_t> SqlMemoryRepository::Count(const std::string& user_id) {
  auto rows = db_.Query("SELECT COUNT(*) FROM memories WHERE user_id = ?", {user_id});
  if (!rows) return rows.error();
  return Int(rows->rows[0][0]);
}

core::Result<std::int64_t> SqlMemoryRepository::CountAll() {
  auto rows = db_.Query("SELECT COUNT(*) FROM memories");
  if (!rows) return rows.error();
  return Int(rows->rows[0][0]);
}

core::Result<std::vector<Memory>> SqlMemoryRepository::Recent(const std::string& user_id, const MemoryFilter& filter,
                                                              std::int64_t limit) {
  Params params{user_id};
  const std::string condition = FilterCondition(filter, params);
  params.emplace_back(std::clamp<std::int64_t>(limit, 1, 10000));
  auto rows = db_.Query(std::string("SELECT ") + kMemoryColumns + " FROM memories m WHERE m.user_id = ?" + condition +
                            " ORDER BY m.seq DESC LIMIT ?",
                        params);
  if (!rows) return rows.error();
  std::vector<Memory> out;
  for (const auto& r : rows->rows) out.push_back(MemoryFrom(r));
  return out;
}

core::Result<core::memory::MatchPage> SqlMemoryRepository::Match(const std::string& user_id, const std::string& query,
                                                                 core::memory::MatchMode mode,
                                                                 const MemoryFilter& filter, std::int64_t limit,
                                                                 std::int64_t offset, core::memory::MatchTotal total) {
  Params params;
  const std::string condition = FilterCondition(filter, params);
  return search_.Match(db_, user_id, query, mode, condition, params, std::clamp<std::int64_t>(limit, 1, 1000),
                       std::max<std::int64_t>(offset, 0), total);
}

core::Result<void> SqlMemoryRepository::RecordAccess(const std::string& user_id, const std::vector<std::string>& ids,
                                                     const std::string& now) {
  if (ids.empty()) return core::Ok{};
  std::string sql =
      "UPDATE memories SET access_count = access_count + 1, last_accessed = ? WHERE user_id = ? AND id IN (";
  Params params{now, user_id};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    sql += i == 0 ? "?" : ", ?";
    params.emplace_back(ids[i]);
  }
  sql += ")";
  auto changed = db_.Execute(sql, params);
  if (!changed) return changed.error();
  return core::Ok{};
}

}  // namespace atrium::storage::sql
