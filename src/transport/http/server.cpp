#include "transport/http/server.hpp"

#include <spdlog/spdlog.h>

#include <thread>

#include "transport/engineio/engine_registry.hpp"
#include "transport/http/server_impl.hpp"

namespace atrium::transport {

namespace {

asio::awaitable<void> AcceptLoop(Server::Impl& server, Listening& listening) {
  for (;;) {
    Worker& worker = *server.workers[server.next_worker++ % server.workers.size()];
    auto [ec, socket] = co_await listening.acceptor->async_accept(worker.context, asio::as_tuple(asio::use_awaitable));
    if (server.stopping.load()) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      // Out of descriptors or similar: back off briefly instead of spinning.
      spdlog::warn("accept on port {} failed: {}", listening.port, ec.message());
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    if (server.connections.load() >= server.options.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);  // over the bound: refuse rather than queue without limit
      continue;
    }
    // One address may not take every connection either.
    boost::system::error_code peer_ec;
    const auto peer = socket.remote_endpoint(peer_ec);
    auto slot = peer_ec ? std::nullopt : server.per_address.TryAcquire(peer.address());
    if (!slot) {
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    server.connections.fetch_add(1);
    asio::co_spawn(worker.context, RunSession(server, worker, std::move(socket), *listening.site, std::move(*slot)),
                   [&server](std::exception_ptr e) {
                     server.connections.fetch_sub(1);
                     if (e) {
                       try {
                         std::rethrow_exception(e);
                       } catch (const std::exception& ex) {
                         spdlog::error("connection failed: {}", ex.what());
                       }
                     }
                   });
  }
}

// Waits until every connection is gone or the grace period is over, then cuts what is
// left and lets the event loops finish.
asio::awaitable<void> DrainThenStop(Server::Impl& server) {
  const auto deadline = std::chrono::steady_clock::now() + server.options.shutdown_grace;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (server.connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (server.connections.load() > 0) {
    spdlog::warn("shutdown grace period over; closing {} connection(s)", server.connections.load());
    for (auto& w : server.workers) {
      asio::post(w->context, [worker = w.get()] {
        for (SessionControl* s : worker->sessions) {
          s->stream->socket().close();
          if (s->waiting != nullptr) s->waiting->cancel();
        }
      });
    }
  }
  server.guards.clear();
}

}  // namespace

void Server::Impl::BeginShutdown() {
  if (stopping.exchange(true)) return;
  spdlog::info("shutting down: finishing in-flight requests (grace {} ms)", options.shutdown_grace.count());
  boost::system::error_code ignored;
  if (signals) signals->cancel(ignored);
  for (auto& l : listeners) l.acceptor->close(ignored);
  // Engine.IO sessions end now: pending polls answer, WebSockets close, heartbeats stop.
  for (auto& [route, registry] : engines) registry->CloseAll("server shutting down");
  for (auto& w : workers) {
    asio::post(w->context, [worker = w.get()] {
      for (SessionControl* s : worker->sessions) {
        if (s->idle) s->stream->socket().cancel();
        if (s->waiting != nullptr) s->waiting->cancel();
      }
    });
  }
  asio::co_spawn(workers[0]->context, DrainThenStop(*this), asio::detached);
}

Server::Server(ServerOptions options, core::WorkerPool& pool, const core::Clock& clock, AccessLog& access_log)
    : impl_(std::make_unique<Impl>(std::move(options), pool, clock, access_log)) {
  const int n = std::max(1, impl_->options.io_threads);
  for (int i = 0; i < n; ++i) impl_->workers.push_back(std::make_unique<Worker>());
}

Server::~Server() = default;
Server::Impl::~Impl() = default;

void Server::AddSite(const http::Site& site, std::uint16_t port) { impl_->listeners.push_back({&site, port, nullptr}); }

core::Result<void> Server::Listen() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.bind_address, ec);
  if (ec) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "server.bind: '" + impl_->options.bind_address + "' is not an IP address");
  }
  for (auto& l : impl_->listeners) {
    auto acceptor = std::make_unique<tcp::acceptor>(impl_->workers[0]->context);
    const tcp::endpoint endpoint(address, l.port);
    const std::string where = l.site->name() + " port " + std::to_string(l.port);
    if (acceptor->open(endpoint.protocol(), ec); ec) {
      return core::Error(core::ErrorCode::kUnavailable, "cannot open " + where + ": " + ec.message());
    }
    acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (acceptor->bind(endpoint, ec); ec) {
      return core::Error(core::ErrorCode::kUnavailable, "cannot bind " + where + ": " + ec.message());
    }
    if (acceptor->listen(asio::socket_base::max_listen_connections, ec); ec) {
      return core::Error(core::ErrorCode::kUnavailable, "cannot listen on " + where + ": " + ec.message());
    }
    l.port = acceptor->local_endpoint().port();
    for (const http::Route* route : l.site->router().routes()) {
      // Every method's route of one endpoint shares its engineio::Route, hence one registry.
      if (route->engineio && !impl_->engines.contains(route->engineio.get())) {
        impl_->engines.emplace(route->engineio.get(),
                               std::make_unique<EngineRegistry>(*route->engineio, impl_->options.max_connections));
      }
    }
    l.acceptor = std::move(acceptor);
  }
  return core::Ok{};
}

std::vector<std::pair<std::string, std::uint16_t>> Server::BoundPorts() const {
  std::vector<std::pair<std::string, std::uint16_t>> out;
  for (const auto& l : impl_->listeners) out.emplace_back(l.site->name(), l.port);
  return out;
}

void Server::Run(const std::function<void()>& on_ready) {
  Impl& s = *impl_;
  for (auto& w : s.workers) s.guards.push_back(asio::make_work_guard(w->context));
  s.signals.emplace(s.workers[0]->context, SIGINT, SIGTERM);
  s.signals->async_wait([&s](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    spdlog::info("received signal {}", signo);
    s.BeginShutdown();
  });
  for (auto& l : s.listeners) asio::co_spawn(s.workers[0]->context, AcceptLoop(s, l), asio::detached);
  if (on_ready) asio::post(s.workers[0]->context, on_ready);

  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < s.workers.size(); ++i) {
    threads.emplace_back([w = s.workers[i].get()] { w->context.run(); });
  }
  s.workers[0]->context.run();
  for (auto& t : threads) t.join();
  s.signals.reset();
  s.listeners.clear();
}

void Server::Stop() {
  asio::post(impl_->workers[0]->context, [this] { impl_->BeginShutdown(); });
}

}  // namespace atrium::transport
