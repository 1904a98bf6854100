#include "engines/media/rsvg_rasterizer.hpp"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <cmath>
#include <memory>

namespace atrium::engines::media {

namespace {

using core::Error;
using core::ErrorCode;
using core::Reason;

struct GObjectFree {
  void operator()(RsvgHandle* h) const { g_object_unref(h); }
};
struct SurfaceFree {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoFree {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};

cairo_status_t AppendPng(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

core::Result<core::media::RenderedImage> RsvgRasterizer::ToPng(std::string_view svg, int width, int height,
                                                               double scale, long max_pixels) {
  GError* error = nullptr;
  std::unique_ptr<RsvgHandle, GObjectFree> handle(
      rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error));
  if (!handle) {
    std::string why = error != nullptr ? error->message : "unreadable";
    if (error != nullptr) g_error_free(error);
    return Error(ErrorCode::kInvalidArgument, "The image could not be converted to PNG", "rsvg: " + why);
  }
  double own_w = 0, own_h = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(handle.get(), &own_w, &own_h) || own_w <= 0 || own_h <= 0) {
    RsvgRectangle ink{}, logical{};
    if (rsvg_handle_get_geometry_for_element(handle.get(), nullptr, &ink, &logical, nullptr)) {
      own_w = logical.width;
      own_h = logical.height;
    }
  }
  if (!(own_w > 0) || !(own_h > 0)) own_w = own_h = 300;
  const double s = scale > 0 ? scale : 1.0;
  const int w = width > 0 ? width : static_cast<int>(std::ceil(own_w * s));
  const int h = height > 0 ? height : static_cast<int>(std::ceil(own_h * s));
  if (w <= 0 || h <= 0 || static_cast<long long>(w) * h > max_pixels) {
    return Error(ErrorCode::kResourceExhausted, "The image would be too large",
                 "png " + std::to_string(w) + "x" + std::to_string(h))
        .WithReason(Reason::kRenderTooLarge);
  }
  std::unique_ptr<cairo_surface_t, SurfaceFree> surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Error(ErrorCode::kResourceExhausted, "The image would be too large").WithReason(Reason::kRenderTooLarge);
  }
  std::unique_ptr<cairo_t, CairoFree> cr(cairo_create(surface.get()));
  // The document fitted into the box, keeping its aspect ratio, centred.
  const RsvgRectangle viewport{0, 0, static_cast<double>(w), static_cast<double>(h)};
  if (!rsvg_handle_render_document(handle.get(), cr.get(), &viewport, &error)) {
    std::string why = error != nullptr ? error->message : "render failed";
    if (error != nullptr) g_error_free(error);
    return Error(ErrorCode::kInvalidArgument, "The image could not be converted to PNG", "rsvg: " + why);
  }
  cairo_surface_flush(surface.get());
  core::media::RenderedImage out;
  out.format = core::media::ImageFormat::kPng;
  if (cairo_surface_write_to_png_stream(surface.get(), AppendPng, &out.bytes) != CAIRO_STATUS_SUCCESS) {
    return Error(ErrorCode::kInternal, "The image could not be converted to PNG", "cairo png write");
  }
  out.width = w;
  out.height = h;
  return out;
}

}  // namespace atrium::engines::media
