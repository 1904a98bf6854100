// The spooled-body multipart scanner on any bytes, cross-checked with the in-memory
// parser: the input is written to a file and scanned with a small block size (so
// boundaries fall across block edges); both must accept or both refuse, with the same
// parts at the same places.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/multipart_body.hpp"
#include "http/multipart_file.hpp"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  char path[] = "/tmp/atrium-fuzz-multipart-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return 0;
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd, input.data() + written, size - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  auto file = atrium::http::ScanMultipartFile(path, "XyZ", {.block_bytes = 256});
  ::unlink(path);
  auto memory = atrium::http::ParseMultipart("XyZ", input);
  Check(file.ok() == memory.ok());
  if (!memory.ok()) return 0;
  Check(file->parts.size() == memory->size());
  for (std::size_t i = 0; i < memory->size(); ++i) {
    const auto& m = (*memory)[i];
    const auto& f = file->parts[i];
    Check(f.name == m.name && f.filename == m.filename && f.content_type == m.content_type);
    Check(f.offset + f.length <= size);
    Check(input.substr(f.offset, f.length) == m.body);
  }
  return 0;
}
