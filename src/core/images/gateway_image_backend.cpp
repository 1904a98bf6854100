#include "core/images/gateway_image_backend.hpp"

#include "core/codec/base64.hpp"

namespace atrium::core::images {

Result<ImageOutput> GatewayImageBackend::Generate(const ImageSpec& spec) {
  llm::ImageRequest request;
  request.model = spec.model;
  request.prompt = spec.prompt;
  request.user = spec.user_id;
  request.negative_prompt = spec.negative_prompt;
  request.input_images = spec.input_images;
  auto result = gateway_.GenerateImage(request);
  if (!result) return result.error();
  if (result->images.empty() || result->images.front().b64_png.empty()) {
    return Error(ErrorCode::kUnavailable, "The image upstream returned no image", "no b64_json in the answer")
        .WithReason(Reason::kLlmBadResponse);
  }
  auto bytes = Base64Decode(result->images.front().b64_png);
  if (!bytes) {
    return Error(ErrorCode::kUnavailable, "The image upstream returned no usable image", "b64_json is not base64")
        .WithReason(Reason::kLlmBadResponse);
  }
  return ImageOutput{std::move(*bytes), ImageUsage{static_cast<std::int64_t>(result->images.size())}};
}

}  // namespace atrium::core::images
