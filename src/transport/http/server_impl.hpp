#pragma once
// Internal state shared by the listener and the sessions. Included only by transport
// sources.

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <list>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "transport/engineio/engine_registry.hpp"
#include "transport/http/connection_limit.hpp"
#include "transport/http/server.hpp"

namespace atrium::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// What the shutdown logic needs to see of a live connection. Touched only on its
// worker's thread.
struct SessionControl {
  beast::tcp_stream* stream = nullptr;
  bool idle = false;  // waiting for the first byte of a request
  // Set while the session waits for a streamed answer to start (no socket operation is
  // pending then): shutdown cancels it.
  asio::steady_timer* waiting = nullptr;
};

// One event loop and its thread's sessions.
struct Worker {
  asio::io_context context{1};
  std::list<SessionControl*> sessions;
};

struct Listening {
  const http::Site* site;
  std::uint16_t port;
  std::unique_ptr<tcp::acceptor> acceptor;
};

struct Server::Impl {
  Impl(ServerOptions o, core::WorkerPool& p, const core::Clock& c, AccessLog& log)
      : options(std::move(o)),
        pool(p),
        clock(c),
        access_log(log),
        per_address(options.max_connections_per_address, options.unlimited_addresses) {}
  ~Impl();

  void BeginShutdown();  // on workers[0]'s thread

  ServerOptions options;
  core::WorkerPool& pool;
  const core::Clock& clock;
  AccessLog& access_log;
  // Before the workers: a session frame destroyed with its loop still releases its slot.
  AddressConnectionLimit per_address;

  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<Listening> listeners;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::optional<asio::signal_set> signals;
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> stopping{false};
  std::size_t next_worker = 0;
  // The Engine.IO sessions of every Engine.IO route, built by Listen; read-only after.
  std::unordered_map<const http::engineio::Route*, std::unique_ptr<EngineRegistry>> engines;
};

// Serves one connection until it closes; `slot` is its place in the per-address limit,
// held until then. Defined in session.cpp.
asio::awaitable<void> RunSession(Server::Impl& server, Worker& worker, tcp::socket socket, const http::Site& site,
                                 AddressConnectionLimit::Slot slot);

}  // namespace atrium::transport
