#pragma once
// The HTTP/1.1 server: one listening port per site, N I/O threads each running its own
// event loop, blocking handlers on a WorkerPool. Beast and Asio stay behind this header.
//
// Lifecycle: AddSite... -> Listen() -> Run() (blocks until SIGINT/SIGTERM or Stop())
// -> graceful shutdown: stop accepting, close idle connections, let in-flight
// requests finish (answered with Connection: close) within shutdown_grace, then cut
// what remains.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/worker_pool.hpp"
#include "http/site.hpp"
#include "transport/http/access_log.hpp"
#include "transport/http/server_options.hpp"

namespace atrium::transport {

class Server {
 public:
  Server(ServerOptions options, core::WorkerPool& pool, const core::Clock& clock, AccessLog& access_log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // `site` must outlive the server. Port 0 picks a free port (see BoundPorts).
  void AddSite(const http::Site& site, std::uint16_t port);

  // Binds and listens on every site's port. The error names the port that failed.
  core::Result<void> Listen();
  // (site name, port) for every listening site, valid after Listen.
  std::vector<std::pair<std::string, std::uint16_t>> BoundPorts() const;

  // Serves until a signal or Stop(), then shuts down gracefully and returns.
  // `on_ready` runs once, on an I/O thread, when serving has begun.
  void Run(const std::function<void()>& on_ready);
  // Thread-safe: starts the graceful shutdown.
  void Stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace atrium::transport
