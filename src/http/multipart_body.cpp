#include "http/multipart_body.hpp"

#include <cctype>

namespace atrium::http {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

ApiError Malformed(std::string what) { return MakeError(ErrorKind::kBadRequest, "Malformed multipart body: " + what); }

// The value of parameter `key` in a header value ("form-data; name=\"x\"; filename=...").
std::optional<std::string> Parameter(std::string_view value, std::string_view key) {
  std::size_t at = 0;
  while (at < value.size()) {
    auto semi = value.find(';', at);
    if (semi == std::string_view::npos) break;
    at = semi + 1;
    while (at < value.size() && (value[at] == ' ' || value[at] == '\t')) ++at;
    const auto eq = value.find('=', at);
    if (eq == std::string_view::npos) break;
    const std::string name = Lower(Trim(value.substr(at, eq - at)));
    std::size_t v = eq + 1;
    std::string out;
    if (v < value.size() && value[v] == '"') {
      ++v;
      while (v < value.size() && value[v] != '"') {
        if (value[v] == '\\' && v + 1 < value.size()) ++v;
        out += value[v++];
      }
      if (v >= value.size()) return std::nullopt;  // unterminated quote
      ++v;
    } else {
      while (v < value.size() && value[v] != ';') out += value[v++];
      out = std::string(Trim(out));
    }
    if (name == key) return out;
    at = v;
  }
  return std::nullopt;
}

// Finds "--boundary" at the start of a line at or after `from`: returns the offset of
// the line start (the dashes), or npos.
std::size_t FindDelimiter(std::string_view body, std::string_view delimiter, std::size_t from) {
  for (auto at = body.find(delimiter, from); at != std::string_view::npos; at = body.find(delimiter, at + 1)) {
    if (at == 0 || body[at - 1] == '\n') return at;
  }
  return std::string_view::npos;
}

}  // namespace

Result<std::size_t> ParsePartHead(std::string_view text, std::size_t cursor, std::size_t max_header_bytes,
                                  FormPart& part) {
  bool named = false;
  const std::size_t headers_start = cursor;
  while (true) {
    const auto line_end = text.find('\n', cursor);
    if (line_end == std::string_view::npos) return Malformed("truncated part headers");
    if (line_end - headers_start > max_header_bytes) return Malformed("part headers too long");
    std::string_view line = text.substr(cursor, line_end - cursor);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    cursor = line_end + 1;
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("a part header without a colon");
    const std::string header = Lower(Trim(line.substr(0, colon)));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (header == "content-disposition") {
      const auto semi = value.find(';');
      if (Lower(Trim(value.substr(0, semi))) != "form-data") return Malformed("a part that is not form-data");
      auto name = Parameter(value, "name");
      if (!name) return Malformed("a part without a name");
      part.name = std::move(*name);
      part.filename = Parameter(value, "filename");
      named = true;
    } else if (header == "content-type") {
      part.content_type = std::string(value);
    }
  }
  if (!named) return Malformed("a part without Content-Disposition");
  return cursor;
}

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  const auto semi = content_type.find(';');
  if (Lower(Trim(content_type.substr(0, semi))) != "multipart/form-data") return std::nullopt;
  if (semi == std::string_view::npos) return std::nullopt;
  auto boundary = Parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) return std::nullopt;
  for (const char c : *boundary) {
    if (c == '\r' || c == '\n') return std::nullopt;
  }
  return boundary;
}

Result<std::vector<FormPart>> ParseMultipart(std::string_view boundary, std::string_view body,
                                             const MultipartLimits& limits) {
  const std::string delimiter = "--" + std::string(boundary);
  std::vector<FormPart> parts;
  std::size_t at = FindDelimiter(body, delimiter, 0);
  if (at == std::string_view::npos) return Malformed("no boundary line");
  while (true) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") return parts;  // the closing delimiter
    // The rest of the delimiter line (transport padding) up to its line end.
    const auto eol = body.find('\n', at);
    if (eol == std::string_view::npos) return Malformed("truncated after a boundary");
    std::size_t cursor = eol + 1;
    if (parts.size() == limits.max_parts) return Malformed("too many parts");
    FormPart part;
    auto head = ParsePartHead(body, cursor, limits.max_header_bytes, part);
    if (!head) return std::move(head).error();
    cursor = *head;
    const auto next = FindDelimiter(body, delimiter, cursor);
    if (next == std::string_view::npos) return Malformed("no closing boundary");
    std::size_t end = next;
    // The line break before the delimiter belongs to it.
    if (end > cursor && body[end - 1] == '\n') --end;
    if (end > cursor && body[end - 1] == '\r') --end;
    part.body = body.substr(cursor, end - cursor);
    parts.push_back(std::move(part));
    at = next;
  }
}

Result<std::vector<FormPart>> ParseMultipartRequest(const Request& request, const MultipartLimits& limits) {
  const auto boundary = MultipartBoundary(request.Header("Content-Type").value_or(""));
  if (!boundary) return MakeError(ErrorKind::kUnsupportedMediaType, "Content-Type must be multipart/form-data");
  return ParseMultipart(*boundary, request.body, limits);
}

const FormPart* FindPart(const std::vector<FormPart>& parts, std::string_view name) {
  for (const auto& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace atrium::http
