#include "app/media_parts.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <vector>

#include "engines/media/cairo_map_renderer.hpp"
#include "engines/media/command_diagram_renderer.hpp"
#include "engines/media/mathjax_renderer.hpp"
#include "engines/media/mermaid_renderer.hpp"
#include "engines/media/node_media_worker.hpp"
#include "engines/media/rsvg_rasterizer.hpp"
#include "engines/process/sandboxed_run.hpp"

namespace atrium::app {

namespace fs = std::filesystem;

std::string ToolDirectory(const std::string& configured, const std::string& name) {
  if (!configured.empty()) return configured;
  std::vector<fs::path> candidates;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "atrium" / name);
  candidates.push_back(fs::path("/usr/share/atrium") / name);
#ifdef ATRIUM_SOURCE_DIR
  candidates.push_back(fs::path(ATRIUM_SOURCE_DIR) / "tools" / name);
#endif
  for (const auto& c : candidates) {
    if (fs::is_directory(c, ec)) return c.string();
  }
  return "";
}

struct MediaParts::Engines {
  explicit Engines(const Config& config)
      : pool(std::make_shared<engines::media::NodeMediaWorkerPool>(
            engines::media::MediaWorkerOptions{.worker_dir = ToolDirectory(config.media_worker_dir, "media-worker"),
                                               .workers = static_cast<std::size_t>(config.media_workers)})),
        mermaid(pool),
        mathjax(pool),
        maps(MapDataDirectory(config.media_map_data_dir)) {}

  static std::string MapDataDirectory(const std::string& configured) {
    if (!configured.empty()) return configured;
    const std::string tools = ToolDirectory("", "map-data");
    return tools.empty() ? "" : tools + "/node_modules/world-atlas";
  }

  engines::media::CommandDiagramRenderer graphviz{engines::media::GraphvizCommand()};
  engines::media::CommandDiagramRenderer plantuml{engines::media::PlantUmlCommand()};
  engines::media::CommandDiagramRenderer d2{engines::media::D2Command()};
  std::shared_ptr<engines::media::NodeMediaWorkerPool> pool;
  engines::media::MermaidRenderer mermaid;
  engines::media::MathJaxRenderer mathjax;
  engines::media::CairoMapRenderer maps;
  engines::media::RsvgRasterizer rasterizer;
};

MediaParts::MediaParts(const Config& config) : engines_(std::make_unique<Engines>(config)) {
  core::media::MediaLimits limits;
  limits.max_concurrent = static_cast<std::size_t>(config.media_max_concurrent);
  limits.max_waiting = static_cast<std::size_t>(config.media_max_queue);
  limits.cache_bytes = static_cast<std::size_t>(config.media_cache_mb) << 20;
  limits.diagram_deadline = std::chrono::milliseconds(config.media_diagram_deadline_ms);
  limits.formula_deadline = std::chrono::milliseconds(config.media_formula_deadline_ms);
  limits.map_deadline = std::chrono::milliseconds(config.media_map_deadline_ms);
  std::vector<core::media::DiagramRenderer*> diagrams = {&engines_->mermaid, &engines_->graphviz, &engines_->plantuml,
                                                         &engines_->d2};
  const bool latex =
      !engines::process::FindProgram("latex").empty() && !engines::process::FindProgram("dvisvgm").empty();
  service_ = std::make_unique<core::media::MediaService>(std::move(diagrams), &engines_->mathjax, &engines_->maps,
                                                         &engines_->rasterizer, latex, limits);
}

MediaParts::~MediaParts() = default;

}  // namespace atrium::app
