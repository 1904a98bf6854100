// /api/models/*: the chat models every configured LLM upstream lists, as OpenRouter
// describes them. Nothing is made up: without an upstream the answer is 503, and
// fields an upstream does not give are null.

#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <optional>

#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::identity::Principal;
using core::llm::ModelInfo;

// USD per token as the shortest decimal that reads back as the same double, never in
// exponent form ("0.000003", as OpenRouter writes prices).
json::value PriceText(const std::optional<double>& price) {
  if (!price) return nullptr;
  char buf[400];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), *price, std::chars_format::fixed);
  if (ec != std::errc{}) return nullptr;
  return json::string(buf, end);
}

json::value OrNull(const std::string& text) { return text.empty() ? json::value(nullptr) : json::value(text); }

json::value OrNull(const std::optional<std::int64_t>& n) { return n ? json::value(*n) : json::value(nullptr); }

json::object ModelJson(const ModelInfo& m) {
  return {{"id", m.id},
          {"name", m.name},
          {"description", m.description},
          {"context_length", OrNull(m.context_length)},
          {"pricing", {{"prompt", PriceText(m.prompt_price)}, {"completion", PriceText(m.completion_price)}}},
          {"top_provider", {{"max_completion_tokens", OrNull(m.max_completion_tokens)}}},
          {"architecture",
           {{"modality", OrNull(m.modality)},
            {"tokenizer", OrNull(m.tokenizer)},
            {"instruct_type", OrNull(m.instruct_type)}}}};
}

http::ApiError NoUpstream() {
  return ToApiError(core::Error(core::ErrorCode::kUnavailable, "No LLM upstream is configured")
                        .WithReason(core::Reason::kLlmNotConfigured));
}

// Answers one model; `id` is the decoded path (one or two segments).
http::Reply OneModel(core::llm::Gateway* gateway, const std::string& id) {
  if (gateway == nullptr) return NoUpstream();
  auto models = gateway->Models();
  if (!models) return ToApiError(models.error());
  for (const auto& m : *models) {
    if (m.id != id) continue;
    json::object out = ModelJson(m);
    out["per_request_limits"] = nullptr;  // not kept from the list (OpenRouter's is null for most)
    return http::JsonReply(200, {{"model", std::move(out)}});
  }
  return http::MakeError(http::ErrorKind::kNotFound, "Model not found");
}

}  // namespace

void AddModelRoutes(http::Site& site, const Context& ctx) {
  core::llm::Gateway* gateway = ctx.services().gateway;
  const auto& rule = ctx.rules().other;

  site.Add(http::Method::kGet, "/api/models",
           ctx.Authed(rule, [gateway](http::Request&, const Principal&) -> http::Reply {
             if (gateway == nullptr) return NoUpstream();
             auto models = gateway->Models();
             if (!models) return ToApiError(models.error());
             json::array list;
             for (const auto& m : *models) list.emplace_back(ModelJson(m));
             const auto count = static_cast<std::int64_t>(list.size());
             return http::JsonReply(200, {{"models", std::move(list)}, {"count", count}});
           }));

  site.Add(http::Method::kPost, "/api/models/refresh",
           ctx.Authed(rule, [gateway](http::Request&, const Principal&) -> http::Reply {
             if (gateway == nullptr) return NoUpstream();
             auto models = gateway->RefreshModels();
             if (!models) return ToApiError(models.error());
             return http::JsonReply(
                 200, {{"message", "Models cache refreshed"}, {"count", static_cast<std::int64_t>(models->size())}});
           }));

  site.Add(http::Method::kGet, "/api/models/categories",
           ctx.Authed(rule, [gateway](http::Request&, const Principal&) -> http::Reply {
             if (gateway == nullptr) return NoUpstream();
             auto models = gateway->Models();
             if (!models) return ToApiError(models.error());
             std::map<std::string, json::array> by_provider;  // providers in name order
             for (const auto& m : *models) {
               by_provider[m.provider].emplace_back(
                   json::object{{"id", m.id}, {"name", m.name}, {"context_length", OrNull(m.context_length)}});
             }
             json::object categories;
             for (auto& [provider, list] : by_provider) categories[provider] = std::move(list);
             return http::JsonReply(200, {{"categories", std::move(categories)}});
           }));

  // Model ids carry a slash ("anthropic/claude-3-sonnet"): sent as is it makes two
  // segments, percent-encoded (%2F) one; both name the same model.
  site.Add(http::Method::kGet, "/api/models/:model_id",
           ctx.Authed(rule, [gateway](http::Request& req, const Principal&) -> http::Reply {
             return OneModel(gateway, std::string(*req.Param("model_id")));
           }));
  site.Add(http::Method::kGet, "/api/models/:provider/:model_name",
           ctx.Authed(rule, [gateway](http::Request& req, const Principal&) -> http::Reply {
             return OneModel(gateway,
                             std::string(*req.Param("provider")) + "/" + std::string(*req.Param("model_name")));
           }));
}

}  // namespace atrium::dialects::unichat
