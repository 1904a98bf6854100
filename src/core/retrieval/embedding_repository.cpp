#include "core/retrieval/embedding_repository.hpp"

#include <bit>
#include <cstring>

#include "core/codec/base64.hpp"

namespace atrium::core::retrieval {

std::string_view ItemKindName(ItemKind kind) {
  switch (kind) {
    case ItemKind::kChunk:
      return "chunk";
    case ItemKind::kMemory:
      return "memory";
  }
  return "chunk";
}

std::string EncodeVector(const std::vector<float>& vector) {
  std::string bytes(vector.size() * 4, '\0');
  for (std::size_t i = 0; i < vector.size(); ++i) {
    auto bits = std::bit_cast<std::uint32_t>(vector[i]);
    for (int b = 0; b < 4; ++b)
      bytes[i * 4 + static_cast<std::size_t>(b)] = static_cast<char>((bits >> (8 * b)) & 0xff);
  }
  return Base64Encode(bytes);
}

std::vector<float> DecodeVector(std::string_view text) {
  const auto bytes = Base64Decode(text);
  std::vector<float> out;
  if (!bytes || bytes->size() % 4 != 0) return out;
  out.resize(bytes->size() / 4);
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::uint32_t bits = 0;
    for (int b = 0; b < 4; ++b) {
      bits |= static_cast<std::uint32_t>(static_cast<unsigned char>((*bytes)[i * 4 + static_cast<std::size_t>(b)]))
              << (8 * b);
    }
    out[i] = std::bit_cast<float>(bits);
  }
  return out;
}

}  // namespace atrium::core::retrieval
