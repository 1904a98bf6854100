#pragma once
// Rendered images by the hash of what was asked (renderer, every option, the source),
// least recently used first out, bounded in bytes. Thread-safe.

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/media/rendered_image.hpp"

namespace atrium::core::media {

class RenderCache {
 public:
  explicit RenderCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  std::optional<RenderedImage> Get(const std::string& key);
  // An image larger than a quarter of the bound is not kept (it would push out many).
  void Put(const std::string& key, const RenderedImage& image);

  std::size_t bytes() const;
  std::size_t entries() const;
  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  struct Entry {
    std::string key;
    RenderedImage image;
  };
  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::list<Entry> order_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

// The cache key of a request: SHA-256 (hex) of its parts, each length-prefixed so that
// no two different requests share a key.
std::string RenderKey(std::initializer_list<std::string_view> parts);

}  // namespace atrium::core::media
