#pragma once
// VectorIndex on Debian's hnswlib (header-only): a hierarchical navigable small world
// graph over inner products of unit vectors (= cosine similarity), growing its capacity
// as vectors are added. M = 16, ef_construction = 200, ef = max(64, 2k) at search.

#include <memory>

#include "core/retrieval/vector_index.hpp"

namespace atrium::engines::vector {

class HnswIndexFactory final : public core::retrieval::VectorIndexFactory {
 public:
  std::unique_ptr<core::retrieval::VectorIndex> Create(std::size_t dimensions) const override;
};

}  // namespace atrium::engines::vector
