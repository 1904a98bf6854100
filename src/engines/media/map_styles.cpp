#include "engines/media/map_styles.hpp"

#include <cstdint>

namespace atrium::engines::media {

namespace {

constexpr Rgba Hex(std::uint32_t rgb, double a = 1) {
  return Rgba{static_cast<double>((rgb >> 16) & 0xFF) / 255, static_cast<double>((rgb >> 8) & 0xFF) / 255,
              static_cast<double>(rgb & 0xFF) / 255, a};
}

MapTheme Standard() {
  MapTheme t;
  t.style = {"standard", "Standard", "A modern political map: pastel countries on a blue sea"};
  t.sea = Hex(0xA8D5F2);
  t.land = Hex(0xF2EFE6);
  t.palette = {Hex(0xF6D8AE), Hex(0xC9E4C5), Hex(0xF7C6C7), Hex(0xD7CCE8), Hex(0xFFF1A8),
               Hex(0xBFE3E0), Hex(0xF9D5E5), Hex(0xDDE8B9), Hex(0xE8D3B9), Hex(0xCFE0F7)};
  t.border = Hex(0x8A8A8A);
  t.border_width = 0.7;
  t.coast = Hex(0x6A8CA8);
  t.coast_width = 0.8;
  t.label_text = Hex(0x333333);
  t.label_halo = Hex(0xFFFFFF, 0.8);
  t.title_band = Hex(0xFFFFFF, 0.75);
  t.title_text = Hex(0x222222);
  t.overlay_text = Hex(0x1A1A1A);
  t.overlay_halo = Hex(0xFFFFFF, 0.9);
  return t;
}

MapTheme Historical() {
  MapTheme t;
  t.style = {"historical", "Historical", "An old atlas: parchment and sepia, serif lettering, dark brown borders"};
  t.sea = Hex(0xD9C9A3);
  t.land = Hex(0xF1E2BE);
  t.palette = {Hex(0xEAD7AE), Hex(0xE4CFA0), Hex(0xEFDDB6), Hex(0xE0C998), Hex(0xE8D5A8)};
  t.border = Hex(0x5C3A1E);
  t.border_width = 1.0;
  t.coast = Hex(0x6B4423);
  t.coast_width = 1.2;
  t.graticule = true;
  t.graticule_color = Hex(0x8B6B45, 0.45);
  t.graticule_width = 0.5;
  t.font_family = "DejaVu Serif";
  t.label_size = 9.5;
  t.label_text = Hex(0x4A2E14);
  t.label_halo = Hex(0xF1E2BE, 0.8);
  t.title_band = Hex(0xE9D8B0, 0.85);
  t.title_text = Hex(0x3B2410);
  t.overlay_text = Hex(0x3B2410);
  t.overlay_halo = Hex(0xF5EAD0, 0.9);
  return t;
}

MapTheme Physical() {
  MapTheme t;
  t.style = {"physical", "Physical", "Terrain colours: green and brown land on a deep blue sea, with a graticule"};
  t.sea = Hex(0x2E6DA4);
  t.land = Hex(0x9DBF7A);
  t.palette = {Hex(0x8DB36B), Hex(0xA8C686), Hex(0xB9B27A), Hex(0xC4A36F), Hex(0x94B874), Hex(0xB5C98E)};
  t.border = Hex(0x6B5B3E, 0.8);
  t.border_width = 0.6;
  t.coast = Hex(0x1E4C75);
  t.coast_width = 0.9;
  t.graticule = true;
  t.graticule_color = Hex(0xFFFFFF, 0.35);
  t.graticule_width = 0.6;
  t.label_text = Hex(0x2B2B1E);
  t.label_halo = Hex(0xE9F0DC, 0.75);
  t.title_band = Hex(0xFFFFFF, 0.7);
  t.title_text = Hex(0x1E2B12);
  t.overlay_text = Hex(0x111111);
  t.overlay_halo = Hex(0xFFFFFF, 0.9);
  return t;
}

MapTheme Satellite() {
  MapTheme t;
  t.style = {"satellite", "Satellite", "Imagery tones: a dark navy sea, dark green and brown land, light lettering"};
  t.sea = Hex(0x0B1D3A);
  t.land = Hex(0x2F4A2A);
  t.palette = {Hex(0x2F4A2A), Hex(0x3B5230), Hex(0x4A4A2E), Hex(0x5A4B32), Hex(0x344F33), Hex(0x44502F)};
  t.border = Hex(0xC8C8A0, 0.55);
  t.border_width = 0.6;
  t.coast = Hex(0x7FA0B8, 0.7);
  t.coast_width = 0.7;
  t.label_text = Hex(0xF0F0E6);
  t.label_halo = Hex(0x000000, 0.6);
  t.title_band = Hex(0x000000, 0.55);
  t.title_text = Hex(0xFFFFFF);
  t.overlay_text = Hex(0xFFFFFF);
  t.overlay_halo = Hex(0x000000, 0.75);
  return t;
}

MapTheme Minimal() {
  MapTheme t;
  t.style = {"minimal", "Minimal", "White and light grey with thin borders and no country names"};
  t.sea = Hex(0xFFFFFF);
  t.land = Hex(0xE6E6E6);
  t.border = Hex(0xFFFFFF);
  t.border_width = 0.5;
  t.coast = Hex(0xBDBDBD);
  t.coast_width = 0.5;
  t.country_labels = false;
  t.label_text = Hex(0x555555);
  t.label_halo = Hex(0xFFFFFF, 0.8);
  t.title_band = Hex(0xFFFFFF, 0.8);
  t.title_text = Hex(0x333333);
  t.title_size = 16;
  t.overlay_text = Hex(0x333333);
  t.overlay_halo = Hex(0xFFFFFF, 0.9);
  return t;
}

MapTheme Educational() {
  MapTheme t;
  t.style = {"educational", "Educational",
             "A classroom map: bright countries, thick borders, large names and a graticule"};
  t.sea = Hex(0x7EC8F0);
  t.land = Hex(0xFFE066);
  t.palette = {Hex(0xFF6B6B), Hex(0xFFD93D), Hex(0x6BCB77), Hex(0x4D96FF), Hex(0xFF9F45),
               Hex(0xC77DFF), Hex(0x2EC4B6), Hex(0xF15BB5), Hex(0x9BE564), Hex(0xFFB4A2)};
  t.border = Hex(0x222222);
  t.border_width = 1.6;
  t.coast = Hex(0x1A4D80);
  t.coast_width = 1.8;
  t.graticule = true;
  t.graticule_color = Hex(0x1A4D80, 0.35);
  t.graticule_width = 0.7;
  t.label_size = 12;
  t.label_text = Hex(0x111111);
  t.label_halo = Hex(0xFFFFFF, 0.85);
  t.title_band = Hex(0xFFFFFF, 0.8);
  t.title_text = Hex(0x111111);
  t.title_size = 22;
  t.overlay_text = Hex(0x111111);
  t.overlay_halo = Hex(0xFFFFFF, 0.95);
  return t;
}

}  // namespace

std::vector<MapTheme> MapThemes() {
  return {Standard(), Historical(), Physical(), Satellite(), Minimal(), Educational()};
}

std::size_t StableIndex(std::string_view name, std::size_t n) {
  if (n == 0) return 0;
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return static_cast<std::size_t>(h % n);
}

}  // namespace atrium::engines::media
