#include "storage/redis/redis_client.hpp"

#include <openssl/evp.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "core/metrics/shared_state_stats.hpp"

namespace atrium::storage::redis {

namespace {

std::string Sha1Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

core::Error Unavailable(std::string internal) {
  return core::Error(core::ErrorCode::kUnavailable, "Redis is unreachable", std::move(internal));
}

// The worker takes at most this many commands per round trip.
constexpr std::size_t kMaxBatch = 512;
constexpr std::chrono::seconds kIdlePing{1};

}  // namespace

RedisScript::RedisScript(std::string source) : source_(std::move(source)), sha1_(Sha1Hex(source_)) {}

struct RedisClient::Request {
  Command command;
  const RedisScript* script = nullptr;  // set: `command` holds EVALSHA's arguments after the sha
  std::function<void(const core::Result<RedisValue>&)> done;
};

struct RedisClient::State {
  mutable std::mutex mu;
  mutable std::condition_variable wake;          // the worker: work queued, or stop
  mutable std::condition_variable connected_cv;  // WaitConnected
  std::deque<std::shared_ptr<Request>> queue;
  std::atomic<bool> stopping{false};
  std::atomic<bool> connected{false};
  std::thread worker;
};

RedisClient::RedisClient(RedisClientOptions options, core::metrics::SharedStateStats& stats)
    : options_(std::move(options)), stats_(stats), state_(std::make_unique<State>()) {
  state_->worker = std::thread([this] { Work(); });
}

RedisClient::~RedisClient() {
  {
    std::lock_guard lock(state_->mu);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  state_->worker.join();
}

bool RedisClient::connected() const { return state_->connected.load(std::memory_order_acquire); }

bool RedisClient::WaitConnected(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mu);
  return state_->connected_cv.wait_for(lock, timeout, [this] { return connected() || state_->stopping.load(); }) &&
         connected();
}

core::Result<void> RedisClient::Enqueue(std::shared_ptr<Request> request) {
  // While disconnected nothing waits for the reconnect: the caller's fail mode decides now.
  if (!connected()) return Unavailable("redis: not connected");
  {
    std::lock_guard lock(state_->mu);
    if (state_->stopping) return Unavailable("redis: client stopped");
    if (state_->queue.size() >= options_.max_queue) return Unavailable("redis: command queue full");
    state_->queue.push_back(std::move(request));
  }
  state_->wake.notify_one();
  return core::Ok{};
}

core::Result<RedisValue> RedisClient::Wait(std::shared_ptr<Request> request) {
  // The promise is shared with the request: a caller that gave up leaves the worker a
  // live promise to fulfil.
  auto promise = std::make_shared<std::promise<core::Result<RedisValue>>>();
  auto future = promise->get_future();
  request->done = [promise](const core::Result<RedisValue>& outcome) { promise->set_value(outcome); };
  if (auto queued = Enqueue(std::move(request)); !queued) return queued.error();
  if (future.wait_for(options_.timeout) != std::future_status::ready) return Unavailable("redis: command timed out");
  return future.get();
}

core::Result<RedisValue> RedisClient::Run(Command command) {
  auto request = std::make_shared<Request>();
  request->command = std::move(command);
  return Wait(std::move(request));
}

core::Result<RedisValue> RedisClient::Eval(const RedisScript& script, std::vector<std::string> keys,
                                           std::vector<std::string> args) {
  auto request = std::make_shared<Request>();
  request->script = &script;
  request->command.reserve(keys.size() + args.size() + 1);
  request->command.push_back(std::to_string(keys.size()));
  for (auto& key : keys) request->command.push_back(std::move(key));
  for (auto& arg : args) request->command.push_back(std::move(arg));
  return Wait(std::move(request));
}

core::Result<void> RedisClient::Post(Command command, std::function<void(const core::Result<RedisValue>&)> done) {
  auto request = std::make_shared<Request>();
  request->command = std::move(command);
  request->done = std::move(done);
  return Enqueue(std::move(request));
}

core::Result<std::chrono::microseconds> RedisClient::Ping() {
  const auto start = std::chrono::steady_clock::now();
  auto reply = Run({"PING"});
  if (!reply) return reply.error();
  if (reply->is_error()) return Unavailable("redis PING: " + reply->text);
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
}

void RedisClient::Work() {
  std::unique_ptr<RedisConnection> connection;
  auto backoff = options_.backoff_min;
  bool ever_connected = false;
  const auto fail = [](std::deque<std::shared_ptr<Request>>& requests, const core::Error& error) {
    for (auto& request : requests) {
      if (request->done) request->done(error);
    }
    requests.clear();
  };

  for (;;) {
    if (!connection) {
      auto opened = RedisConnection::Open(options_.endpoint, options_.timeout);
      if (!opened && state_->stopping) break;
      if (opened) {
        connection = std::move(*opened);
        if (ever_connected) stats_.reconnects.fetch_add(1, std::memory_order_relaxed);
        ever_connected = true;
        backoff = options_.backoff_min;
        {
          std::lock_guard lock(state_->mu);
          state_->connected.store(true, std::memory_order_release);
        }
        state_->connected_cv.notify_all();
      } else {
        std::deque<std::shared_ptr<Request>> stale;
        std::unique_lock lock(state_->mu);
        stale.swap(state_->queue);
        lock.unlock();
        fail(stale, opened.error());
        lock.lock();
        if (state_->wake.wait_for(lock, backoff, [this] { return state_->stopping.load(); })) break;
        backoff = std::min(backoff * 2, options_.backoff_max);
        continue;
      }
    }

    std::deque<std::shared_ptr<Request>> batch;
    {
      std::unique_lock lock(state_->mu);
      const bool woken =
          state_->wake.wait_for(lock, kIdlePing, [this] { return state_->stopping.load() || !state_->queue.empty(); });
      // Stopping: what is queued still goes out (a short-lived process's last publish).
      if (state_->stopping && state_->queue.empty()) break;
      if (!woken) {
        // Idle: a PING finds a connection the server closed (a restart) before a
        // caller's command does.
        lock.unlock();
        auto pong = connection->Run({"PING"});
        if (!pong) {
          connection.reset();
          state_->connected.store(false, std::memory_order_release);
        }
        continue;
      }
      while (!state_->queue.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(state_->queue.front()));
        state_->queue.pop_front();
      }
    }

    std::vector<Command> commands;
    commands.reserve(batch.size());
    for (const auto& request : batch) {
      if (request->script == nullptr) {
        commands.push_back(request->command);
        continue;
      }
      Command evalsha{"EVALSHA", request->script->sha1()};
      evalsha.insert(evalsha.end(), request->command.begin(), request->command.end());
      commands.push_back(std::move(evalsha));
    }
    auto replies = connection->Pipeline(commands);
    if (!replies) {
      connection.reset();
      state_->connected.store(false, std::memory_order_release);
      fail(batch, replies.error());
      continue;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto& request = *batch[i];
      core::Result<RedisValue> outcome = std::move((*replies)[i]);
      if (request.script != nullptr && outcome->is_error() && outcome->text.starts_with("NOSCRIPT")) {
        // EVAL runs the script and caches it, so the next EVALSHA finds it.
        Command eval{"EVAL", request.script->source()};
        eval.insert(eval.end(), request.command.begin(), request.command.end());
        outcome = connection->Run(eval);
        if (!outcome) {
          connection.reset();
          state_->connected.store(false, std::memory_order_release);
          std::deque<std::shared_ptr<Request>> rest(batch.begin() + static_cast<std::ptrdiff_t>(i), batch.end());
          fail(rest, outcome.error());
          break;
        }
      }
      if (request.done) request.done(outcome);
    }
  }

  std::deque<std::shared_ptr<Request>> rest;
  {
    std::lock_guard lock(state_->mu);
    rest.swap(state_->queue);
    state_->connected.store(false, std::memory_order_release);
  }
  fail(rest, Unavailable("redis: client stopped"));
  state_->connected_cv.notify_all();
}

}  // namespace atrium::storage::redis
