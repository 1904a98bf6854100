#pragma once
// A scripted llm::Generator for the chat and arena tests: each request takes the next
// Answer (or a default one); streams run on threads of their own, joined at the end.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/llm/generation.hpp"

namespace atrium::core::chat {

using namespace std::chrono_literals;

// What the fake generator does for one request.
struct Answer {
  std::vector<std::string> deltas = {"Hello", " world"};
  std::optional<Error> fail_at_start;  // Stream/Generate fail at once
  std::optional<Error> fail_after;     // streams: after the deltas
  bool wait_for_cancel = false;        // streams: after the deltas, until cancelled
  llm::TokenUsage usage{4, 2, 6, false};
};

class FakeGenerator final : public llm::Generator {
 public:
  ~FakeGenerator() override {
    for (auto& t : threads_) t.join();
  }
  void Push(Answer a) {
    std::lock_guard lock(mu_);
    answers_.push_back(std::move(a));
  }
  std::vector<llm::GenerationRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

  Result<llm::GenerationResult> Generate(const llm::GenerationRequest& request) override {
    auto a = Next(request);
    if (a.fail_at_start) return *a.fail_at_start;
    return Result_(a, "stop");
  }

  Result<std::shared_ptr<llm::GenerationHandle>> Stream(const llm::GenerationRequest& request,
                                                        llm::GenerationSink sink) override {
    auto a = Next(request);
    if (a.fail_at_start) return *a.fail_at_start;
    auto handle = std::make_shared<Handle>();
    std::lock_guard lock(mu_);
    threads_.emplace_back([this, a, sink, handle] {
      sink({llm::GenerationEventType::kStarted, "", "fake-model"});
      std::string so_far;
      for (const auto& d : a.deltas) {
        llm::GenerationEvent e{llm::GenerationEventType::kDelta};
        e.delta = d;
        so_far += d;
        sink(e);
      }
      if (a.wait_for_cancel) handle->Wait();
      if (a.fail_after && !handle->cancelled()) {
        llm::GenerationEvent e{llm::GenerationEventType::kError};
        e.error = a.fail_after;
        sink(e);
        return;
      }
      llm::GenerationEvent done{llm::GenerationEventType::kDone};
      done.result = Result_(a, handle->cancelled() ? "cancelled" : "stop");
      sink(done);
    });
    return std::shared_ptr<llm::GenerationHandle>(handle);
  }

  std::string DefaultModel() override { return "fake-model"; }

 private:
  class Handle final : public llm::GenerationHandle {
   public:
    void Cancel() override {
      std::lock_guard lock(mu_);
      cancelled_ = true;
      cv_.notify_all();
    }
    void Wait() {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, 10s, [&] { return cancelled_; });
    }
    bool cancelled() {
      std::lock_guard lock(mu_);
      return cancelled_;
    }

   private:
    std::mutex mu_;
    std::condition_variable cv_;
    bool cancelled_ = false;
  };

  static llm::GenerationResult Result_(const Answer& a, std::string finish) {
    llm::GenerationResult r;
    r.model = "fake-model";
    for (const auto& d : a.deltas) r.content += d;
    r.finish_reason = std::move(finish);
    r.usage = a.usage;
    r.generation_time = 250ms;
    r.time_to_first_token = 40ms;
    r.cost_usd = 0.5;
    return r;
  }

  Answer Next(const llm::GenerationRequest& request) {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (answers_.empty()) return Answer{};
    auto a = std::move(answers_.front());
    answers_.pop_front();
    return a;
  }

  std::mutex mu_;
  std::deque<Answer> answers_;
  std::vector<llm::GenerationRequest> requests_;
  std::vector<std::thread> threads_;
};

}  // namespace atrium::core::chat
