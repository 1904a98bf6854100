#include "engines/vector/hnsw_index.hpp"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <stdexcept>

namespace atrium::engines::vector {

namespace {

constexpr std::size_t kM = 16;
constexpr std::size_t kEfConstruction = 100;
constexpr std::size_t kInitialCapacity = 1024;

class HnswIndex final : public core::retrieval::VectorIndex {
 public:
  explicit HnswIndex(std::size_t dimensions)
      : dimensions_(dimensions),
        space_(dimensions),
        index_(std::make_unique<hnswlib::HierarchicalNSW<float>>(&space_, kInitialCapacity, kM, kEfConstruction)) {}

  void Add(std::uint64_t label, std::span<const float> vector) override {
    if (vector.size() != dimensions_) return;
    if (index_->cur_element_count >= index_->max_elements_) {
      index_->resizeIndex(index_->max_elements_ * 2);
    }
    index_->addPoint(vector.data(), static_cast<hnswlib::labeltype>(label));
  }

  void Remove(std::uint64_t label) override {
    try {
      index_->markDelete(static_cast<hnswlib::labeltype>(label));
    } catch (const std::runtime_error&) {
      // Unknown or already removed: nothing to leave out.
    }
  }

  std::vector<std::pair<std::uint64_t, float>> Search(std::span<const float> query, std::size_t k) const override {
    std::vector<std::pair<std::uint64_t, float>> out;
    const std::size_t n = size();
    if (query.size() != dimensions_ || n == 0 || k == 0) return out;
    k = std::min(k, n);
    index_->setEf(std::max<std::size_t>(64, 2 * k));
    auto found = index_->searchKnn(query.data(), k);
    while (!found.empty()) {
      // Inner-product distance is 1 - <a, b>.
      out.emplace_back(static_cast<std::uint64_t>(found.top().second), 1.0f - found.top().first);
      found.pop();
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

  std::size_t size() const override { return index_->cur_element_count - index_->num_deleted_; }

 private:
  std::size_t dimensions_;
  hnswlib::InnerProductSpace space_;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> index_;
};

}  // namespace

std::unique_ptr<core::retrieval::VectorIndex> HnswIndexFactory::Create(std::size_t dimensions) const {
  return std::make_unique<HnswIndex>(dimensions);
}

}  // namespace atrium::engines::vector
