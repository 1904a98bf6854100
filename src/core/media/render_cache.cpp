#include "core/media/render_cache.hpp"

#include "core/identity/crypto.hpp"

namespace atrium::core::media {

namespace {

std::size_t Cost(const std::string& key, const RenderedImage& image) {
  return key.size() + image.bytes.size() + image.render_method.size() + 64;
}

}  // namespace

std::optional<RenderedImage> RenderCache::Get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->image;
}

void RenderCache::Put(const std::string& key, const RenderedImage& image) {
  const std::size_t cost = Cost(key, image);
  if (cost > max_bytes_ / 4) return;
  std::lock_guard lock(mu_);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= Cost(key, it->second->image);
    order_.erase(it->second);
    index_.erase(it);
  }
  order_.push_front({key, image});
  index_.emplace(key, order_.begin());
  bytes_ += cost;
  while (bytes_ > max_bytes_ && !order_.empty()) {
    const Entry& last = order_.back();
    bytes_ -= Cost(last.key, last.image);
    index_.erase(last.key);
    order_.pop_back();
  }
}

std::size_t RenderCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

std::size_t RenderCache::entries() const {
  std::lock_guard lock(mu_);
  return order_.size();
}

std::uint64_t RenderCache::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

std::uint64_t RenderCache::misses() const {
  std::lock_guard lock(mu_);
  return misses_;
}

std::string RenderKey(std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (const auto p : parts) {
    joined += std::to_string(p.size());
    joined += ':';
    joined += p;
  }
  return identity::Sha256Hex(joined);
}

}  // namespace atrium::core::media
