#include "core/retrieval/embedder.hpp"

#include <cmath>

#include "core/llm/gateway.hpp"

namespace atrium::core::retrieval {

void Normalize(std::vector<float>& v) {
  double sum = 0;
  for (const float x : v) sum += static_cast<double>(x) * x;
  if (sum <= 0) return;
  const double scale = 1.0 / std::sqrt(sum);
  for (float& x : v) x = static_cast<float>(x * scale);
}

Result<std::vector<std::vector<float>>> Embedder::Embed(const std::vector<std::string>& texts,
                                                        const std::string& user_id) const {
  if (!configured()) {
    return Error(ErrorCode::kUnavailable, "No embedding model is configured")
        .WithReason(Reason::kEmbeddingsNotConfigured);
  }
  std::vector<std::vector<float>> out;
  if (texts.empty()) return out;
  if (texts.size() > 64) return Error(ErrorCode::kInvalidArgument, "At most 64 texts per embedding call");
  llm::EmbeddingRequest request;
  request.model = model_;
  request.inputs = texts;
  request.user = user_id;
  auto answer = gateway_->Embed(request);
  if (!answer) return answer.error();
  if (answer->vectors.size() != texts.size()) {
    return Error(ErrorCode::kInternal, "The embedding upstream answered badly",
                 "embeddings: " + std::to_string(answer->vectors.size()) + " vectors for " +
                     std::to_string(texts.size()) + " inputs");
  }
  for (const auto& v : answer->vectors) {
    std::vector<float> f(v.begin(), v.end());
    double sum = 0;
    for (const float x : f) sum += static_cast<double>(x) * x;
    if (f.empty() || sum <= 0 || !std::isfinite(sum)) {
      return Error(ErrorCode::kInternal, "The embedding upstream answered badly",
                   "embeddings: an empty or zero vector");
    }
    Normalize(f);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace atrium::core::retrieval
