#include "http/multipart_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "http/multipart_body.hpp"

namespace atrium::http {

namespace {

constexpr std::uint64_t kNone = ~std::uint64_t{0};

ApiError Malformed(std::string what) { return MakeError(ErrorKind::kBadRequest, "Malformed multipart body: " + what); }

// Positional reads of one file, in blocks.
class FileReader {
 public:
  FileReader(int fd, std::uint64_t size, std::size_t block)
      : fd_(fd), size_(size), block_(std::max<std::size_t>(block, 256)) {}

  std::uint64_t size() const { return size_; }

  // Up to `n` bytes from `at` (fewer at the end of the file); nullopt when reading fails.
  std::optional<std::string> Read(std::uint64_t at, std::size_t n) const {
    std::string out;
    if (at >= size_) return out;
    n = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - at));
    out.resize(n);
    std::size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd_, out.data() + got, n - got, static_cast<off_t>(at + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return std::nullopt;
      got += static_cast<std::size_t>(r);
    }
    return out;
  }

  // The first `needle` at or after `from`, kNone when there is none; nullopt on a read error.
  std::optional<std::uint64_t> Find(std::string_view needle, std::uint64_t from) const {
    const std::size_t overlap = needle.size() - 1;
    std::uint64_t at = from;
    while (at < size_) {
      auto block = Read(at, block_ + overlap);
      if (!block) return std::nullopt;
      if (const auto hit = std::string_view(*block).find(needle); hit != std::string_view::npos) return at + hit;
      if (block->size() < block_ + overlap) return kNone;  // the end of the file
      at += block_;
    }
    return kNone;
  }

  std::optional<char> At(std::uint64_t at) const {
    auto b = Read(at, 1);
    if (!b || b->empty()) return std::nullopt;
    return (*b)[0];
  }

 private:
  int fd_;
  std::uint64_t size_;
  std::size_t block_;
};

ApiError Unreadable() { return MakeError(ErrorKind::kBadRequest, "The request body could not be read"); }

// "--boundary" at the start of a line at or after `from` (as multipart_body.cpp's).
std::optional<std::uint64_t> FindDelimiter(const FileReader& file, std::string_view delimiter, std::uint64_t from) {
  for (;;) {
    auto at = file.Find(delimiter, from);
    if (!at || *at == kNone) return at;
    if (*at == 0) return at;
    auto before = file.At(*at - 1);
    if (!before) return std::nullopt;
    if (*before == '\n') return at;
    from = *at + 1;
  }
}

Result<SpooledForm> Scan(const FileReader& file, std::string_view boundary, const MultipartFileLimits& limits) {
  const std::string delimiter = "--" + std::string(boundary);
  SpooledForm form;
  auto found = FindDelimiter(file, delimiter, 0);
  if (!found) return Unreadable();
  if (*found == kNone) return Malformed("no boundary line");
  std::uint64_t at = *found;
  while (true) {
    at += delimiter.size();
    auto dashes = file.Read(at, 2);
    if (!dashes) return Unreadable();
    if (*dashes == "--") return form;  // the closing delimiter
    auto eol = file.Find("\n", at);
    if (!eol) return Unreadable();
    if (*eol == kNone) return Malformed("truncated after a boundary");
    std::uint64_t cursor = *eol + 1;
    if (form.parts.size() == limits.max_parts) return Malformed("too many parts");
    // The headers fit in max_header_bytes and their line end: read that much.
    auto head_text = file.Read(cursor, limits.max_header_bytes + 2);
    if (!head_text) return Unreadable();
    FormPart head;
    auto head_end = ParsePartHead(*head_text, 0, limits.max_header_bytes, head);
    if (!head_end) return std::move(head_end).error();
    cursor += *head_end;
    auto next = FindDelimiter(file, delimiter, cursor);
    if (!next) return Unreadable();
    if (*next == kNone) return Malformed("no closing boundary");
    std::uint64_t end = *next;
    // The line break before the delimiter belongs to it.
    if (end > cursor && file.At(end - 1) == '\n') --end;
    if (end > cursor && file.At(end - 1) == '\r') --end;
    FilePartRange part{std::move(head.name), std::move(head.filename), std::move(head.content_type), cursor,
                       end - cursor};
    if (!part.filename && part.length <= limits.max_field_bytes) {
      auto value = file.Read(part.offset, static_cast<std::size_t>(part.length));
      if (!value) return Unreadable();
      form.fields.emplace_back(part.name, std::move(*value));
    }
    form.parts.push_back(std::move(part));
    at = *next;
  }
}

}  // namespace

Result<SpooledForm> ScanMultipartFile(const std::filesystem::path& file, std::string_view boundary,
                                      const MultipartFileLimits& limits) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Unreadable();
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (size < 0) {
    ::close(fd);
    return Unreadable();
  }
  auto form = Scan(FileReader(fd, static_cast<std::uint64_t>(size), limits.block_bytes), boundary, limits);
  ::close(fd);
  return form;
}

Result<SpooledForm> ScanMultipartRequest(const Request& request, const MultipartFileLimits& limits) {
  const auto boundary = MultipartBoundary(request.Header("Content-Type").value_or(""));
  if (!boundary) return MakeError(ErrorKind::kUnsupportedMediaType, "Content-Type must be multipart/form-data");
  if (!request.body_file.empty()) return ScanMultipartFile(request.body_file, *boundary, limits);
  // Not spooled: the same answer from the body in memory, offsets into Request::body.
  auto parts = ParseMultipart(*boundary, request.body,
                              {.max_parts = limits.max_parts, .max_header_bytes = limits.max_header_bytes});
  if (!parts) return std::move(parts).error();
  SpooledForm form;
  for (const auto& p : *parts) {
    FilePartRange range{p.name, p.filename, p.content_type,
                        static_cast<std::uint64_t>(p.body.data() - request.body.data()), p.body.size()};
    if (!p.filename && p.body.size() <= limits.max_field_bytes) form.fields.emplace_back(p.name, std::string(p.body));
    form.parts.push_back(std::move(range));
  }
  return form;
}

const FilePartRange* FindFilePart(const SpooledForm& form, std::string_view name) {
  for (const auto& p : form.parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::optional<std::string_view> FindField(const SpooledForm& form, std::string_view name) {
  for (const auto& [n, v] : form.fields) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

}  // namespace atrium::http
