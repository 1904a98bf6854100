#pragma once
// One thing the media worker does (Mermaid diagrams or MathJax formulas), as its
// renderer sees it: asked of the pool the first time it is needed (a server that never
// draws starts no worker), and from then on whether it works and, if not, why.

#include <memory>
#include <mutex>
#include <string>

#include "engines/media/node_media_worker.hpp"

namespace atrium::engines::media {

class WorkerFeature {
 public:
  enum class Kind { kMermaid, kTex };

  // `pool` may be null (never available).
  WorkerFeature(std::shared_ptr<NodeMediaWorkerPool> pool, Kind kind) : pool_(std::move(pool)), kind_(kind) {}

  bool available() const;
  std::string unavailable_reason() const;
  NodeMediaWorkerPool& pool() const { return *pool_; }  // only when available()

 private:
  void Probe() const;

  std::shared_ptr<NodeMediaWorkerPool> pool_;
  Kind kind_;
  mutable std::once_flag probed_;
  mutable bool available_ = false;
  mutable std::string why_;
};

}  // namespace atrium::engines::media
