#pragma once
// MapRenderer on Cairo (PNG image surfaces, SVG surfaces) and Pango (labels), drawing
// Natural Earth's countries from the world-atlas package's TopoJSON files
// (countries-110m.json below zoom 3, countries-50m.json and land-50m.json from zoom 3).
//
// Web Mercator: the world is 256·2^zoom pixels wide, the request's centre is the image's
// centre, and the world repeats east and west (a view across the antimeridian shows both
// sides). Layers, bottom to top: sea, land, countries, borders, graticule (some styles),
// country names (those whose largest part is large enough on screen, never overlapping),
// regions, routes, markers, title.
//
// The data is read and decoded once, on first use (thread-safe); every render draws on
// its own surface, with a Pango font map no other render uses at the same time.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/media/map_renderer.hpp"
#include "engines/media/map_styles.hpp"

namespace atrium::engines::media {

class CairoMapRenderer final : public core::media::MapRenderer {
 public:
  // `data_dir` holds countries-50m.json, countries-110m.json and land-50m.json
  // (tools/map-data/node_modules/world-atlas after scripts/install-deps).
  explicit CairoMapRenderer(std::string data_dir, core::media::MapLimits limits = {});
  ~CairoMapRenderer() override;
  CairoMapRenderer(const CairoMapRenderer&) = delete;
  CairoMapRenderer& operator=(const CairoMapRenderer&) = delete;

  // False when a data file is missing or unreadable (or, once loaded, did not decode).
  bool available() const override;
  std::string name() const override { return "cairo"; }
  std::vector<core::media::MapStyle> Styles() const override;
  core::Result<core::media::RenderedImage> Render(const core::media::MapRequest& request) override;

 private:
  struct Atlas;
  class FontMapPool;
  // The decoded data, loaded on the first call; nullptr when it could not be.
  const Atlas* LoadedAtlas() const;

  std::string data_dir_;
  core::media::MapLimits limits_;
  std::vector<MapTheme> themes_;
  mutable std::once_flag load_once_;
  mutable std::unique_ptr<Atlas> atlas_;
  mutable std::string load_error_;
  mutable std::atomic<bool> load_done_{false};
  std::once_flag fontconfig_once_;
  bool fontconfig_ready_ = false;
  std::unique_ptr<FontMapPool> font_maps_;
};

}  // namespace atrium::engines::media
