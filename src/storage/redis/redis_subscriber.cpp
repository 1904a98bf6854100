#include "storage/redis/redis_subscriber.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/metrics/shared_state_stats.hpp"

namespace atrium::storage::redis {

namespace {

// An idle connection is PINGed this often, so a server that went away is noticed.
constexpr std::chrono::seconds kIdlePing{1};

}  // namespace

struct RedisSubscriber::State {
  mutable std::mutex mu;
  std::condition_variable confirmed_cv;
  std::map<std::string, int> held;  // channel -> holders
  std::set<std::string> confirmed;  // subscribed on the current connection
  bool stopping = false;
  std::atomic<bool> connected{false};
  int wake_fd = -1;
  std::thread worker;

  void Wake() const {
    const std::uint64_t one = 1;
    (void)!write(wake_fd, &one, sizeof one);  // a full counter already wakes the thread
  }
};

RedisSubscriber::RedisSubscriber(RedisClientOptions options, core::metrics::SharedStateStats& stats,
                                 OnMessage on_message)
    : options_(std::move(options)),
      stats_(stats),
      on_message_(std::move(on_message)),
      state_(std::make_unique<State>()) {
  state_->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (state_->wake_fd < 0) throw std::runtime_error("redis subscriber: eventfd failed");
  state_->worker = std::thread([this] { Work(); });
}

RedisSubscriber::~RedisSubscriber() {
  {
    std::lock_guard lock(state_->mu);
    state_->stopping = true;
  }
  state_->Wake();
  state_->confirmed_cv.notify_all();
  state_->worker.join();
  close(state_->wake_fd);
}

bool RedisSubscriber::connected() const { return state_->connected.load(std::memory_order_acquire); }

std::size_t RedisSubscriber::channel_count() const {
  std::lock_guard lock(state_->mu);
  return state_->held.size();
}

bool RedisSubscriber::Acquire(const std::vector<std::string>& channels, std::chrono::milliseconds wait) {
  bool added = false;
  std::unique_lock lock(state_->mu);
  for (const auto& channel : channels) {
    if (state_->held[channel]++ == 0) added = true;
  }
  if (added) state_->Wake();
  const auto all_confirmed = [&] {
    for (const auto& channel : channels) {
      if (!state_->confirmed.contains(channel)) return false;
    }
    return true;
  };
  if (all_confirmed()) return true;
  if (!connected()) return false;
  return state_->confirmed_cv.wait_for(lock, wait, [&] {
    return state_->stopping || !connected() || all_confirmed();
  }) && all_confirmed();
}

void RedisSubscriber::Release(const std::vector<std::string>& channels) {
  bool removed = false;
  {
    std::lock_guard lock(state_->mu);
    for (const auto& channel : channels) {
      auto it = state_->held.find(channel);
      if (it == state_->held.end()) continue;
      if (--it->second == 0) {
        state_->held.erase(it);
        removed = true;
      }
    }
  }
  if (removed) state_->Wake();
}

void RedisSubscriber::Work() {
  auto backoff = options_.backoff_min;
  bool ever_connected = false;
  for (;;) {
    {
      std::lock_guard lock(state_->mu);
      if (state_->stopping) break;
    }
    auto opened = RedisConnection::Open(options_.endpoint, options_.timeout);
    if (!opened) {
      std::unique_lock lock(state_->mu);
      if (state_->confirmed_cv.wait_for(lock, backoff, [this] { return state_->stopping; })) break;
      backoff = std::min(backoff * 2, options_.backoff_max);
      continue;
    }
    RedisConnection& connection = **opened;
    if (ever_connected) stats_.reconnects.fetch_add(1, std::memory_order_relaxed);
    ever_connected = true;
    backoff = options_.backoff_min;
    state_->connected.store(true, std::memory_order_release);

    std::set<std::string> sent;  // subscribed or asked for, on this connection
    auto last_activity = std::chrono::steady_clock::now();
    bool broken = false;
    while (!broken) {
      // Tell the server what changed since the last pass.
      std::vector<std::string> to_subscribe;
      std::vector<std::string> to_unsubscribe;
      {
        std::lock_guard lock(state_->mu);
        if (state_->stopping) break;
        for (const auto& [channel, holders] : state_->held) {
          if (!sent.contains(channel)) to_subscribe.push_back(channel);
        }
        for (const auto& channel : sent) {
          if (!state_->held.contains(channel)) to_unsubscribe.push_back(channel);
        }
      }
      if (!to_subscribe.empty()) {
        Command command{"SUBSCRIBE"};
        command.insert(command.end(), to_subscribe.begin(), to_subscribe.end());
        broken = !connection.Send(command);
        sent.insert(to_subscribe.begin(), to_subscribe.end());
      }
      if (!broken && !to_unsubscribe.empty()) {
        Command command{"UNSUBSCRIBE"};
        command.insert(command.end(), to_unsubscribe.begin(), to_unsubscribe.end());
        broken = !connection.Send(command);
        for (const auto& channel : to_unsubscribe) sent.erase(channel);
      }
      if (broken) break;

      pollfd fds[2] = {{connection.fd(), POLLIN, 0}, {state_->wake_fd, POLLIN, 0}};
      const int ready = poll(fds, 2, static_cast<int>(std::chrono::milliseconds(kIdlePing).count()));
      if (ready < 0) continue;  // EINTR
      if (fds[1].revents != 0) {
        std::uint64_t count = 0;
        (void)!read(state_->wake_fd, &count, sizeof count);
      }
      if (ready == 0 && std::chrono::steady_clock::now() - last_activity >= kIdlePing) {
        // PING is allowed in subscribed mode; its reply (or the error) shows the server is there.
        broken = !connection.Send({"PING"});
        last_activity = std::chrono::steady_clock::now();
        continue;
      }
      if ((fds[0].revents & (POLLIN | POLLERR | POLLHUP)) == 0) continue;
      last_activity = std::chrono::steady_clock::now();
      if (!connection.Fill()) break;
      for (;;) {
        auto next = connection.Next();
        if (!next) {
          broken = true;
          break;
        }
        if (!next->has_value()) break;
        const RedisValue& reply = **next;
        if (reply.kind != RedisValue::Kind::kArray || reply.elements.size() < 3) continue;
        const std::string& kind = reply.elements[0].text;
        const std::string& channel = reply.elements[1].text;
        if (kind == "message") {
          on_message_(channel, reply.elements[2].text);
        } else if (kind == "subscribe") {
          {
            std::lock_guard lock(state_->mu);
            state_->confirmed.insert(channel);
          }
          state_->confirmed_cv.notify_all();
        } else if (kind == "unsubscribe") {
          std::lock_guard lock(state_->mu);
          // A channel held again meanwhile was asked for once more; its new confirmation follows.
          state_->confirmed.erase(channel);
        }
      }
    }
    {
      std::lock_guard lock(state_->mu);
      state_->confirmed.clear();
      state_->connected.store(false, std::memory_order_release);
    }
    state_->confirmed_cv.notify_all();
  }
  state_->connected.store(false, std::memory_order_release);
}

}  // namespace atrium::storage::redis
