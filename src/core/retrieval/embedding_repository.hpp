#pragma once
// Stored embeddings of what retrieval searches by meaning: document chunks and
// memories, one vector per item and model, owner-scoped. The vector index of each
// instance (SemanticIndex) is built from here and kept in step by sequence number, so
// every instance sharing the database searches the same vectors. The core owns the
// interface; storage/sql implements it. Blocking; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace atrium::core::retrieval {

enum class ItemKind { kChunk, kMemory };

// "chunk", "memory".
std::string_view ItemKindName(ItemKind kind);

struct StoredEmbedding {
  std::int64_t seq = 0;  // increases with every write
  ItemKind kind = ItemKind::kChunk;
  std::string item_id;
  std::vector<float> vector;
};

// An item that has text but no vector of the model yet.
struct Unembedded {
  ItemKind kind = ItemKind::kChunk;
  std::string item_id;
  std::string user_id;
  std::string text;
};

class EmbeddingRepository {
 public:
  virtual ~EmbeddingRepository() = default;
  // Stores (or replaces) the vector of a chunk or memory of the user's, if that item
  // still exists (false otherwise). A chunk's vector goes with its document.
  virtual Result<bool> Put(const std::string& user_id, ItemKind kind, const std::string& item_id,
                           const std::string& model, const std::vector<float>& vector) = 0;
  // The user's vectors of `model` written after `after_seq`, in seq order, at most `limit`.
  virtual Result<std::vector<StoredEmbedding>> Since(const std::string& user_id, const std::string& model,
                                                     std::int64_t after_seq, std::int64_t limit) = 0;
  // How many vectors of `model` the user has (an index that holds more missed a delete).
  virtual Result<std::int64_t> Count(const std::string& user_id, const std::string& model) = 0;
  // The item of every vector of `model` the user has, in no order (what an index that
  // missed deletes keeps).
  virtual Result<std::vector<std::pair<ItemKind, std::string>>> Items(const std::string& user_id,
                                                                      const std::string& model) = 0;
  // Ready chunks and memories of every user without a vector of `model`, at most `limit`.
  virtual Result<std::vector<Unembedded>> Missing(const std::string& model, std::int64_t limit) = 0;
  // Vectors of any other model (after the configured model changed).
  virtual Result<std::int64_t> RemoveOtherModels(const std::string& model) = 0;
  virtual Result<std::int64_t> CountAll() = 0;
};

// float32 little-endian bytes, base64 (how vectors are stored as text on both drivers).
std::string EncodeVector(const std::vector<float>& vector);
std::vector<float> DecodeVector(std::string_view text);

}  // namespace atrium::core::retrieval
