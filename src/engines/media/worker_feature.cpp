#include "engines/media/worker_feature.hpp"

namespace atrium::engines::media {

void WorkerFeature::Probe() const {
  if (pool_ == nullptr) {
    why_ = "no media worker pool";
    return;
  }
  auto caps = pool_->Probe();
  if (!caps) {
    why_ = caps.error().internal_message();
  } else if (kind_ == Kind::kMermaid && !caps->mermaid) {
    why_ = "the media worker could not start Chromium: " + pool_->log();
  } else if (kind_ == Kind::kTex && !caps->tex) {
    why_ = "the media worker could not load MathJax: " + pool_->log();
  } else {
    available_ = true;
  }
}

bool WorkerFeature::available() const {
  std::call_once(probed_, [this] { Probe(); });
  return available_;
}

std::string WorkerFeature::unavailable_reason() const {
  std::call_once(probed_, [this] { Probe(); });
  return why_;
}

}  // namespace atrium::engines::media
