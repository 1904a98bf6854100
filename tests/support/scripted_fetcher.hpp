#pragma once
// A core::net::HttpFetcher that plays back scripted answers, one per request, on its
// own threads (as the real one runs callbacks on its loop), and records the requests.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "core/net/http_fetcher.hpp"

namespace atrium::testing {

struct Script {
  int status = 200;
  core::net::HeaderList headers;
  std::vector<std::string> pieces;  // the body, as it arrives
  bool refuse = false;              // no answer at all: the connection fails
  bool break_off = false;           // the connection breaks after the pieces
  bool hang = false;                // after the pieces, nothing until cancelled
  std::chrono::milliseconds piece_delay{0};
};

class ScriptedFetcher final : public core::net::HttpFetcher {
 public:
  ~ScriptedFetcher() override {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
  }

  void Push(Script s) {
    std::lock_guard lock(mu_);
    scripts_.push_back(std::move(s));
  }

  std::vector<core::net::FetchRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  int cancels() const { return cancels_.load(); }

  core::Result<core::net::FetchResponse> Get(const std::string& url, const core::net::HeaderList& headers,
                                             std::chrono::milliseconds) override {
    core::net::FetchRequest r;
    r.url = url;
    r.headers = headers;
    return Send(r);
  }

  core::Result<core::net::FetchResponse> Send(const core::net::FetchRequest& request) override {
    auto s = Next(request);
    if (s.refuse || s.break_off || s.hang) {
      return core::Error(core::ErrorCode::kUnavailable, "upstream unreachable", "scripted failure");
    }
    core::net::FetchResponse r;
    r.status = s.status;
    r.headers = s.headers;
    for (const auto& p : s.pieces) r.body += p;
    return r;
  }

  core::Result<std::shared_ptr<core::net::StreamHandle>> Stream(core::net::FetchRequest request,
                                                                core::net::StreamCallbacks cb) override {
    auto s = Next(request);
    auto handle = std::make_shared<Handle>(*this);
    std::lock_guard lock(mu_);
    threads_.emplace_back([s, handle, cb = std::move(cb), delay = request.start_delay]() mutable {
      auto cancelled_end = [&] {
        cb.on_end(core::Error(core::ErrorCode::kUnavailable, "cancelled").WithReason(core::Reason::kCancelled));
      };
      if (handle->WaitCancelled(delay)) return cancelled_end();
      if (s.refuse) {
        cb.on_end(core::Error(core::ErrorCode::kUnavailable, "upstream unreachable", "scripted refuse"));
        return;
      }
      if (!cb.on_head(s.status, s.headers)) return cb.on_end(core::Ok{});
      for (const auto& p : s.pieces) {
        if (handle->WaitCancelled(s.piece_delay)) return cancelled_end();
        if (!cb.on_data(p)) return cb.on_end(core::Ok{});
      }
      if (s.hang) {
        handle->WaitCancelled(std::chrono::hours(1));
        return cancelled_end();
      }
      if (s.break_off) {
        cb.on_end(core::Error(core::ErrorCode::kUnavailable, "upstream answer broke off", "scripted cut"));
        return;
      }
      cb.on_end(core::Ok{});
    });
    return std::shared_ptr<core::net::StreamHandle>(handle);
  }

 private:
  class Handle final : public core::net::StreamHandle {
   public:
    explicit Handle(ScriptedFetcher& owner) : owner_(owner) {}
    void Cancel() override {
      std::lock_guard lock(mu_);
      if (!cancelled_) ++owner_.cancels_;
      cancelled_ = true;
      cv_.notify_all();
    }
    // True when cancelled within `d`.
    bool WaitCancelled(std::chrono::milliseconds d) {
      std::unique_lock lock(mu_);
      if (d.count() > 0) cv_.wait_for(lock, d, [&] { return cancelled_; });
      return cancelled_;
    }

   private:
    ScriptedFetcher& owner_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool cancelled_ = false;
  };

  Script Next(const core::net::FetchRequest& request) {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (scripts_.empty()) return Script{.refuse = true};
    auto s = std::move(scripts_.front());
    scripts_.pop_front();
    return s;
  }

  mutable std::mutex mu_;
  std::deque<Script> scripts_;
  std::vector<core::net::FetchRequest> requests_;
  std::vector<std::thread> threads_;
  std::atomic<int> cancels_{0};
};

// An OpenAI stream's pieces for `words`, with usage when `usage` is set.
inline std::vector<std::string> ChatStream(const std::vector<std::string>& words, bool usage = true) {
  std::vector<std::string> out;
  out.push_back(
      "data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n");
  for (const auto& w : words) {
    out.push_back("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + w +
                  "\"},\"finish_reason\":null}]}\n\n");
  }
  out.push_back("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
  if (usage) {
    out.push_back("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":" +
                  std::to_string(words.size()) + ",\"total_tokens\":" + std::to_string(7 + words.size()) + "}}\n\n");
  }
  out.push_back("data: [DONE]\n\n");
  return out;
}

}  // namespace atrium::testing
