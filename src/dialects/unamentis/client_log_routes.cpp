// POST/GET/DELETE /api/logs: remote logs from client apps.

#include <boost/json.hpp>
#include <charconv>

#include "core/logs/client_log_service.hpp"
#include "dialects/unamentis/fields.hpp"
#include "dialects/unamentis/request_guard.hpp"
#include "dialects/unamentis/unamentis.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unamentis {

namespace {

constexpr std::size_t kLogBodyLimit = 1 << 20;  // a batch of entries fits; a dump does not
constexpr std::size_t kMaxBatch = 1000;

http::Result<core::logs::ClientLogEntry> ParseEntry(const boost::json::value& value) {
  if (!value.is_object()) return http::MakeError(http::ErrorKind::kInvalidJson, "Each log entry must be a JSON object");
  const auto& o = value.as_object();
  core::logs::ClientLogEntry e;
  std::optional<std::string> s;
  if (auto err = OptionalString(o, "message", s)) return *err;
  if (!s || s->empty()) return FieldError("missing_field", "message", "message is required");
  e.message = std::move(*s);
  s.reset();
  if (auto err = OptionalString(o, "level", s)) return *err;
  e.level = s.value_or("INFO");
  if (!core::logs::NormalizeLevel(e.level)) {
    return FieldError("validation_error", "level", "level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL");
  }
  s.reset();
  if (auto err = OptionalString(o, "id", s)) return *err;
  e.id = s.value_or("");
  s.reset();
  if (auto err = OptionalString(o, "timestamp", s)) return *err;
  e.timestamp = s.value_or("");
  s.reset();
  if (auto err = OptionalString(o, "label", s)) return *err;
  e.label = s.value_or("");
  if (auto err = OptionalString(o, "file", e.file)) return *err;
  if (auto err = OptionalString(o, "function", e.function)) return *err;
  if (auto err = OptionalString(o, "client_id", e.client_id)) return *err;
  if (auto err = OptionalString(o, "client_name", e.client_name)) return *err;
  if (const auto* line = o.if_contains("line"); line && !line->is_null()) {
    if (line->is_int64()) {
      e.line = line->as_int64();
    } else if (line->is_uint64() && line->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      e.line = static_cast<std::int64_t>(line->as_uint64());
    } else {
      return FieldError("validation_error", "line", "line must be an integer");
    }
  }
  if (const auto* meta = o.if_contains("metadata"); meta && !meta->is_null()) {
    if (!meta->is_object()) return FieldError("validation_error", "metadata", "metadata must be an object");
    e.metadata_json = boost::json::serialize(*meta);
  }
  return e;
}

boost::json::object EntryToJson(const core::logs::ClientLogEntry& e) {
  boost::json::object o;
  o["id"] = e.id;
  o["timestamp"] = e.timestamp;
  o["level"] = e.level;
  o["label"] = e.label;
  o["message"] = e.message;
  if (e.file) o["file"] = *e.file;
  if (e.function) o["function"] = *e.function;
  if (e.line) o["line"] = *e.line;
  if (e.metadata_json) {
    boost::system::error_code ec;
    auto meta = boost::json::parse(*e.metadata_json, ec);
    if (!ec) o["metadata"] = std::move(meta);
  }
  if (e.client_id) o["client_id"] = *e.client_id;
  if (e.client_name) o["client_name"] = *e.client_name;
  return o;
}

std::optional<int> ParseLimit(const std::string& text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// POST: one entry, or a batch as an array (clients flush buffered logs that way),
// all stored or none.
http::Reply PostLogs(core::logs::ClientLogService& logs, http::Request& req) {
  auto parsed = http::ParseJsonBody(req);
  if (!parsed) return std::move(parsed).error();
  const auto& body = *parsed;
  std::vector<core::logs::ClientLogEntry> entries;
  if (body.is_array()) {
    if (body.as_array().size() > kMaxBatch) {
      return FieldError("validation_error", "entries", "at most 1000 entries per request");
    }
    for (const auto& item : body.as_array()) {
      auto entry = ParseEntry(item);
      if (!entry) return std::move(entry).error();
      entries.push_back(std::move(*entry));
    }
  } else {
    auto entry = ParseEntry(body);
    if (!entry) return std::move(entry).error();
    entries.push_back(std::move(*entry));
  }
  // One transaction for the batch: a failed one stores nothing, and since stored ids
  // are skipped, the client's retry of it cannot duplicate entries.
  if (auto r = logs.AppendBatch(std::move(entries)); !r) return http::FromCoreError(r.error());
  return http::JsonReply(200, {{"success", true}});
}

http::Reply GetLogs(core::logs::ClientLogService& logs, const http::Request& req) {
  core::logs::ClientLogQuery query;
  if (auto limit = req.QueryParam("limit")) {
    auto n = ParseLimit(*limit);
    if (!n || *n > core::logs::ClientLogService::kMaxLimit) {
      http::ApiError e = http::MakeError(http::ErrorKind::kBadRequest, "limit must be an integer from 0 to 10000");
      e.details["parameter"] = "limit";
      return e;
    }
    query.limit = *n;
  }
  query.level = req.QueryParam("level");
  query.label = req.QueryParam("label");
  query.since = req.QueryParam("since");
  if (query.level && !core::logs::NormalizeLevel(*query.level)) {
    http::ApiError e =
        http::MakeError(http::ErrorKind::kBadRequest, "level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL");
    e.details["parameter"] = "level";
    return e;
  }
  auto page = logs.List(query);
  if (!page) return http::FromCoreError(page.error());
  boost::json::array items;
  for (const auto& e : page->logs) items.push_back(EntryToJson(e));
  return http::JsonReply(200, {{"logs", std::move(items)}, {"total", page->total}});
}

http::Reply DeleteLogs(core::logs::ClientLogService& logs) {
  auto cleared = logs.Clear();
  if (!cleared) return http::FromCoreError(cleared.error());
  return http::JsonReply(200, {{"success", true}, {"cleared_count", *cleared}});
}

}  // namespace

void AddClientLogRoutes(http::Site& site, const Deps& services) {
  auto& logs = services.client_logs;
  // Open for now (no token): the spec's unauthenticated limit, per client address.
  const auto open = RateRules{}.unauthenticated;
  site.Add(http::Method::kPost, "/api/logs",
           ByAddress(services, open, [&logs](http::Request& req) { return PostLogs(logs, req); }),
           {.body_limit = kLogBodyLimit});
  site.Add(http::Method::kGet, "/api/logs",
           ByAddress(services, open, [&logs](http::Request& req) { return GetLogs(logs, req); }));
  site.Add(http::Method::kDelete, "/api/logs",
           ByAddress(services, open, [&logs](http::Request&) { return DeleteLogs(logs); }));
}

}  // namespace atrium::dialects::unamentis
