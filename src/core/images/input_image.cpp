#include "core/images/input_image.hpp"

#include "core/codec/base64.hpp"

namespace atrium::core::images {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

Error Invalid(std::string_view field, std::string_view why) {
  return Error(ErrorCode::kInvalidArgument, std::string(field) + " " + std::string(why));
}

}  // namespace

std::string SniffImageType(std::string_view b) {
  if (StartsWith(b, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (StartsWith(b, "\xFF\xD8\xFF")) return "image/jpeg";
  if (StartsWith(b, "GIF87a") || StartsWith(b, "GIF89a")) return "image/gif";
  if (b.size() >= 12 && StartsWith(b, "RIFF") && b.substr(8, 4) == "WEBP") return "image/webp";
  return "";
}

Result<InputImage> ParseInputImage(std::string_view text, std::string_view field) {
  InputImage image;
  if (StartsWith(text, "data:")) {
    const std::size_t comma = text.find(',');
    if (comma == std::string_view::npos) return Invalid(field, "is not a valid data URI");
    const std::string_view header = text.substr(5, comma - 5);
    const std::size_t semi = header.find(';');
    if (semi == std::string_view::npos || header.substr(semi) != ";base64") {
      return Invalid(field, "must be base64-encoded (data:image/...;base64,...)");
    }
    image.kind = InputImage::Kind::kDataUri;
    image.mime = std::string(header.substr(0, semi));
    if (image.mime != "image/png" && image.mime != "image/jpeg" && image.mime != "image/webp" &&
        image.mime != "image/gif") {
      return Invalid(field, "must be a PNG, JPEG, WebP or GIF image");
    }
    const std::string_view data = text.substr(comma + 1);
    if (data.size() / 4 * 3 > kMaxInputImageBytes + 3) return Invalid(field, "is larger than 10 MiB");
    auto decoded = Base64Decode(data);
    if (!decoded) return Invalid(field, "is not valid base64");
    if (decoded->empty()) return Invalid(field, "is empty");
    if (decoded->size() > kMaxInputImageBytes) return Invalid(field, "is larger than 10 MiB");
    if (SniffImageType(*decoded) != image.mime) return Invalid(field, "does not contain the image type it declares");
    image.bytes = decoded->size();
    return image;
  }
  if (StartsWith(text, "http://") || StartsWith(text, "https://")) {
    if (text.size() > kMaxImageUrlChars) return Invalid(field, "URL is longer than 2048 characters");
    const std::size_t host = text.find("://") + 3;
    if (host >= text.size() || text[host] == '/' || text[host] == '?' || text[host] == '#') {
      return Invalid(field, "URL has no host");
    }
    for (unsigned char c : text) {
      if (c <= ' ' || c == 0x7F) return Invalid(field, "URL contains spaces or control characters");
    }
    image.kind = InputImage::Kind::kUrl;
    return image;
  }
  return Invalid(field, "must be a base64 data URI (data:image/...;base64,...) or an http(s) URL");
}

}  // namespace atrium::core::images
