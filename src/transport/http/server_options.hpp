#pragma once
// Limits and timings of the HTTP server. Validated by the app's config loader.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace atrium::transport {

struct ServerOptions {
  std::string bind_address = "0.0.0.0";
  int io_threads = 1;
  std::size_t max_connections = 10000;
  // Open connections from one address (an IPv6 /64); 0: no limit. Addresses in
  // `unlimited_addresses` (trusted reverse proxies) are exempt.
  std::size_t max_connections_per_address = 256;
  std::vector<std::string> unlimited_addresses;
  // Every byte of the head: request line, fields, the empty line (431 when over).
  std::size_t max_header_bytes = 16 * 1024;
  // The request line without its CRLF (414 when over).
  std::size_t max_request_line_bytes = 8 * 1024;
  // Header field lines (431 when over).
  std::size_t max_header_fields = 100;
  // From accept (or from the first byte of a later request) to the end of the header.
  std::chrono::milliseconds header_timeout{10000};
  // For the whole body once the header is in. For a body spooled to a file
  // (RouteOptions::body_to_file) the longest silence between two reads instead, with
  // upload_timeout for the whole body.
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds upload_timeout{3600000};
  // Where spooled bodies are written; empty: the system's temporary directory.
  std::string spool_dir;
  std::chrono::milliseconds write_timeout{30000};
  // How long a keep-alive connection may sit between requests.
  std::chrono::milliseconds idle_timeout{60000};
  // On SIGTERM/SIGINT: how long in-flight requests get before connections are cut.
  std::chrono::milliseconds shutdown_grace{10000};
};

}  // namespace atrium::transport
