// components/schemas of pisovereign's OpenAPI document, after pisovereign-api.md.

#include <boost/json.hpp>

#include "dialects/pisovereign/pisovereign.hpp"

namespace atrium::dialects::pisovereign {

namespace {

namespace json = boost::json;

json::object Str(const char* description = nullptr) {
  json::object o{{"type", "string"}};
  if (description) o["description"] = description;
  return o;
}
json::object Int() { return {{"type", "integer"}}; }
json::object Num() { return {{"type", "number"}}; }
json::object Bool() { return {{"type", "boolean"}}; }
json::object Nullable(json::object schema) {
  schema["type"] = json::array{schema["type"], "null"};
  return schema;
}
json::object Obj(json::object properties, json::array required = {}) {
  json::object o{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) o["required"] = std::move(required);
  return o;
}
json::object Ref(const char* name) { return {{"$ref", std::string("#/components/schemas/") + name}}; }
json::object ArrayOf(json::object items) { return {{"type", "array"}, {"items", std::move(items)}}; }

}  // namespace

boost::json::object OpenApiSchemas() {
  json::object s;
  s["Error"] = Obj({{"error", Obj({{"code", Str("BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, VALIDATION_ERROR, "
                                                "RATE_LIMITED, INTERNAL_ERROR, UPSTREAM_ERROR, SERVICE_UNAVAILABLE")},
                                   {"message", Str()},
                                   {"details", {{"type", "object"}}},
                                   {"retry_after", Int()},
                                   {"request_id", Str()}},
                                  {"code", "message"})}},
                   {"error"});
  s["Health"] = Obj({{"status", Str()}}, {"status"});
  s["Ready"] = Obj({{"status", Str()}, {"inference", {{"type", "object"}}}}, {"status"});
  s["ReadyAll"] = Obj({{"status", Str()},
                       {"services", {{"type", "object"}, {"additionalProperties", {{"type", "object"}}}}},
                       {"latency_percentiles", Obj({{"p50_ms", Int()}, {"p90_ms", Int()}, {"p99_ms", Int()}})}});
  s["ChatRequest"] = Obj({{"message", Str("User message")},
                          {"conversation_id", Str("Continue existing conversation")},
                          {"system_prompt", Str("Override system prompt")},
                          {"model", Str("Override default model")},
                          {"temperature", json::object{{"type", "number"}, {"minimum", 0.0}, {"maximum", 2.0}}},
                          {"max_tokens", json::object{{"type", "integer"}, {"minimum", 1}}}},
                         {"message"});
  const json::object tokens = Obj({{"prompt", Int()}, {"completion", Int()}, {"total", Int()}});
  s["ChatResponse"] = Obj({{"id", Str()},
                           {"conversation_id", Str()},
                           {"role", Str()},
                           {"content", Str()},
                           {"model", Str()},
                           {"tokens", tokens},
                           {"created_at", json::object{{"type", "string"}, {"format", "date-time"}}}},
                          {"id", "conversation_id", "role", "content", "model", "tokens", "created_at"});
  s["CommandRequest"] = Obj({{"command", Str("briefing, weather, calendar, emails, help, or everyday English")},
                             {"args", {{"type", "object"}}},
                             {"timezone", Str("IANA zone; default: the user's profile zone")}},
                            {"command"});
  s["CommandResponse"] = Obj({{"command", Str("MorningBriefing, GetWeather, ListCalendarEvents, SummarizeInbox, Help")},
                              {"status", Str("completed, partial, failed or requires_approval")},
                              {"result", {{"type", "object"}}},
                              {"executed_at", json::object{{"type", "string"}, {"format", "date-time"}}}},
                             {"command", "status", "result", "executed_at"});
  s["ParseRequest"] = Obj({{"input", Str("Everyday English, at most 1000 characters")},
                           {"timezone", Str("IANA zone; default: the user's profile zone")}},
                          {"input"});
  s["ParsedCommand"] = Obj({{"type", Str("CreateCalendarEvent, CreateReminder, GetWeather, ListCalendarEvents, "
                                         "SummarizeInbox, MorningBriefing, Help")},
                            {"title", Str()},
                            {"start", Nullable(Str("ISO-8601 with the zone's offset"))},
                            {"end", Nullable(Str())},
                            {"all_day", Bool()},
                            {"text", Str()},
                            {"due", Nullable(Str())},
                            {"location", Nullable(Str())},
                            {"date", Nullable(Str("YYYY-MM-DD"))},
                            {"days", Int()},
                            {"count", Int()}},
                           {"type"});
  json::object command = Ref("ParsedCommand");
  s["ParseResponse"] = Obj({{"parsed", Bool()},
                            {"command", json::object{{"oneOf", json::array{command, {{"type", "null"}}}}}},
                            {"confidence", Num()},
                            {"requires_approval", Bool()},
                            {"reason", Str("why the input was not parsed")},
                            {"timezone", Str()}},
                           {"parsed", "confidence", "requires_approval"});
  s["SystemStatus"] = Obj({{"version", Str()},
                           {"uptime_seconds", Int()},
                           {"environment", Str()},
                           {"resources", {{"type", "object"}}},
                           {"statistics", {{"type", "object"}}}});
  s["ModelList"] = Obj({{"models", ArrayOf(Obj({{"id", Str()},
                                                {"name", Str()},
                                                {"parameters", Nullable(Str())},
                                                {"context_length", Nullable(Int())},
                                                {"default", Bool()}}))}});
  s["WhatsAppWebhook"] = Obj({{"object", Str()}, {"entry", ArrayOf({{"type", "object"}})}}, {"entry"});
  s["WebhookReceipt"] = Obj({{"status", Str()},
                             {"messages", Int()},
                             {"processed", Int()},
                             {"duplicates", Int()},
                             {"replies_sent", Int()},
                             {"replies_failed", Int()},
                             {"refused", Int()}});
  s["Metrics"] = Obj({{"uptime_seconds", Int()}, {"http", {{"type", "object"}}}, {"inference", {{"type", "object"}}}});
  return s;
}

}  // namespace atrium::dialects::pisovereign
