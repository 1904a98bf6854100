#pragma once
// The six looks of the static map renderer (standard, historical, physical, satellite,
// minimal, educational): colours, line widths, fonts and which layers each one draws.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/media/map_renderer.hpp"

namespace atrium::engines::media {

struct Rgba {
  double r = 0, g = 0, b = 0, a = 1;
};

struct MapTheme {
  core::media::MapStyle style;  // id, name, description
  Rgba sea;
  Rgba land;                  // the land under the countries and, without a palette, every country
  std::vector<Rgba> palette;  // when not empty, each country's fill: palette[stable hash of its name]
  Rgba border;
  double border_width = 0.8;  // pixels
  Rgba coast;                 // the outline of the land
  double coast_width = 0.8;
  bool graticule = false;
  Rgba graticule_color;
  double graticule_width = 0.5;
  bool country_labels = true;
  std::string font_family = "DejaVu Sans";
  double label_size = 9;  // points at 96 dpi
  Rgba label_text;
  Rgba label_halo;
  Rgba title_band;
  Rgba title_text;
  double title_size = 18;
  Rgba overlay_text;  // markers', routes' and regions' labels
  Rgba overlay_halo;
};

// Every theme, in the order Styles() lists them.
std::vector<MapTheme> MapThemes();

// A stable index in 0..n-1 for a country's name (FNV-1a), the same on every run.
std::size_t StableIndex(std::string_view name, std::size_t n);

}  // namespace atrium::engines::media
