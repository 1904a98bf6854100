#include "dialects/common/job_routes.hpp"

#include <boost/json.hpp>

#include "core/jobs/job_queue.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects {

namespace {

namespace json = boost::json;

json::value Opt(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

json::object Render(const core::jobs::Job& j) {
  return {{"id", j.id},
          {"kind", j.kind},
          {"owner", j.owner},
          {"state", core::jobs::JobStateName(j.state)},
          {"attempts", j.attempts},
          {"max_attempts", j.max_attempts},
          {"progress",
           {{"done", j.progress.done},
            {"total", j.progress.total},
            {"fraction", j.progress.Fraction()},
            {"message", j.progress.message}}},
          {"result", Opt(j.result)},
          {"error", Opt(j.error)},
          {"lease_owner", Opt(j.lease_owner)}};
}

http::ApiError Failure(const core::Error& e) {
  const int status = e.code() == core::ErrorCode::kNotFound          ? 404
                     : e.code() == core::ErrorCode::kInvalidArgument ? 400
                                                                     : 503;
  const auto kind = status == 404 ? http::ErrorKind::kNotFound
                    : status == 400 ? http::ErrorKind::kBadRequest
                                    : http::ErrorKind::kUnavailable;
  return http::ApiError{status, kind, e.safe_message()};
}

}  // namespace

void AddJobTestRoutes(http::Site& site, core::jobs::JobQueue& queue, std::string instance_id) {
  site.Add(http::Method::kGet, "/__atrium/instance", [instance_id](http::Request&) -> http::Reply {
    return http::JsonReply(200, json::object{{"id", instance_id}});
  });
  site.Add(http::Method::kPost, "/__atrium/jobs", [&queue](http::Request& req) -> http::Reply {
    auto body = http::ParseJsonObject(req);
    if (!body) return std::move(body).error();
    const auto& o = *body;
    const auto* kind = o.if_contains("kind");
    const auto* payload = o.if_contains("payload");
    if (kind == nullptr || !kind->is_string()) return http::ApiError{400, http::ErrorKind::kBadRequest, "kind: required"};
    core::jobs::EnqueueOptions options;
    if (const auto* n = o.if_contains("max_attempts"); n != nullptr && n->is_int64()) {
      options.max_attempts = static_cast<int>(n->as_int64());
    }
    std::string text = payload != nullptr && payload->is_string() ? std::string(payload->as_string()) : "";
    auto stored = queue.Enqueue(std::string(kind->as_string()), std::move(text), options);
    if (!stored) return Failure(stored.error());
    return http::JsonReply(stored->created ? 201 : 200, Render(stored->job));
  });
  site.Add(http::Method::kGet, "/__atrium/jobs/:id", [&queue](http::Request& req) -> http::Reply {
    auto job = queue.Get(std::string(*req.Param("id")));
    if (!job) return Failure(job.error());
    return http::JsonReply(200, Render(*job));
  });
  site.Add(http::Method::kGet, "/__atrium/jobs", [&queue](http::Request& req) -> http::Reply {
    core::jobs::JobFilter filter;
    if (auto kind = req.QueryParam("kind")) filter.kind = *kind;
    auto jobs = queue.List(filter);
    if (!jobs) return Failure(jobs.error());
    json::array out;
    for (const auto& j : *jobs) out.push_back(Render(j));
    return http::JsonReply(200, json::object{{"jobs", std::move(out)}});
  });
  site.Add(http::Method::kDelete, "/__atrium/jobs/:id", [&queue](http::Request& req) -> http::Reply {
    auto cancelled = queue.Cancel(std::string(*req.Param("id")));
    if (!cancelled) return Failure(cancelled.error());
    return http::JsonReply(200, json::object{{"cancelled", *cancelled}});
  });
}

}  // namespace atrium::dialects
