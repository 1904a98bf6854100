#pragma once
// An approximate nearest-neighbour index over unit vectors of one dimension, searched
// by cosine similarity. The core owns the interface; a driver (engines/vector) builds
// it on hnswlib. Not thread-safe: SemanticIndex guards each one.

#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace atrium::core::retrieval {

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;
  // Adds `vector` (normalised by the caller) under `label`, replacing what it had.
  virtual void Add(std::uint64_t label, std::span<const float> vector) = 0;
  // Leaves `label` out of every later search (nothing happens for an unknown label).
  virtual void Remove(std::uint64_t label) = 0;
  // The `k` nearest labels with their cosine similarity, most similar first.
  virtual std::vector<std::pair<std::uint64_t, float>> Search(std::span<const float> query, std::size_t k) const = 0;
  virtual std::size_t size() const = 0;  // labels added and not removed
};

class VectorIndexFactory {
 public:
  virtual ~VectorIndexFactory() = default;
  virtual std::unique_ptr<VectorIndex> Create(std::size_t dimensions) const = 0;
};

}  // namespace atrium::core::retrieval
