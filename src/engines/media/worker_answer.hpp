#pragma once
// The media worker's answers as the renderers read them (engines/media only; the .cpp
// files that include it link Boost.JSON).

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "engines/media/node_media_worker.hpp"

namespace atrium::engines::media::answer {

inline std::string String(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

inline int Int(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return static_cast<int>(v->as_int64());
  if (v->is_uint64()) return static_cast<int>(v->as_uint64());
  if (v->is_double()) return static_cast<int>(v->as_double());
  return 0;
}

inline core::Result<boost::json::object> Parse(const std::string& line) {
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(line, ec);
  if (ec || !v.is_object()) {
    return core::Error(core::ErrorCode::kUnavailable, "The media renderer is unavailable",
                       "media worker answered with something that is not a JSON object")
        .WithReason(core::Reason::kRendererUnavailable);
  }
  return std::move(v.as_object());
}

struct Failure {
  std::string message;
  int line = 0;
  int column = 0;
  bool unavailable = false;  // the worker's renderer did not start
};

// The error of an {"ok": false} answer; nullopt when the answer is ok.
inline std::optional<Failure> FailureOf(const boost::json::object& o) {
  const auto* ok = o.if_contains("ok");
  if (ok != nullptr && ok->is_bool() && ok->as_bool()) return std::nullopt;
  Failure f;
  if (const auto* e = o.if_contains("error"); e != nullptr && e->is_object()) {
    f.message = String(e->as_object(), "message");
    f.line = Int(e->as_object(), "line");
    f.column = Int(e->as_object(), "column");
    f.unavailable = String(e->as_object(), "kind") == "unavailable";
  }
  if (f.message.empty()) f.message = "The renderer refused the input";
  return f;
}

// `request` sent to a free worker of `pool`, its answer parsed.
inline core::Result<boost::json::object> Ask(NodeMediaWorkerPool& pool, const boost::json::object& request,
                                             std::chrono::milliseconds deadline) {
  auto line = pool.Call(boost::json::serialize(request), NodeMediaWorkerPool::Clock::now() + deadline);
  if (!line) return line.error();
  return Parse(*line);
}

}  // namespace atrium::engines::media::answer
