#pragma once
// Image generation through the LLM gateway's image endpoint (an OpenAI-compatible
// /images/generations), asking for base64 data so no second fetch is needed.

#include "core/images/generated_image.hpp"
#include "core/llm/gateway.hpp"

namespace atrium::core::images {

class GatewayImageBackend final : public ImageBackend {
 public:
  explicit GatewayImageBackend(llm::Gateway& gateway) : gateway_(gateway) {}
  Result<ImageOutput> Generate(const ImageSpec& spec) override;

 private:
  llm::Gateway& gateway_;
};

}  // namespace atrium::core::images
