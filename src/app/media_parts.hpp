#pragma once
// The media core as this machine can run it: Graphviz, PlantUML and D2 as sandboxed
// children when their programs are installed, Mermaid and MathJax in the Node worker
// (tools/media-worker), maps from world-atlas's data, PNG through librsvg. Nothing is
// started here: each renderer proves itself the first time it is needed.

#include <memory>

#include "app/config.hpp"
#include "core/media/media_service.hpp"

namespace atrium::app {

class MediaParts {
 public:
  explicit MediaParts(const Config& config);
  ~MediaParts();
  MediaParts(const MediaParts&) = delete;
  MediaParts& operator=(const MediaParts&) = delete;

  core::media::MediaService& service() { return *service_; }

 private:
  struct Engines;
  std::unique_ptr<Engines> engines_;
  std::unique_ptr<core::media::MediaService> service_;
};

// The directory of a tool that ships beside the server: `configured` when set, else
// the first of <prefix>/share/atrium/<name> (the package) and the source tree's
// tools/<name> that exists, else "".
std::string ToolDirectory(const std::string& configured, const std::string& name);

}  // namespace atrium::app
