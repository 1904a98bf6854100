#include <boost/json.hpp>
#include <cstring>

#include "core/chat/conversation_store.hpp"
#include "core/clock.hpp"
#include "core/identity/api_keys.hpp"
#include "core/identity/identity_service.hpp"
#include "core/llm/gateway.hpp"
#include "core/quota/token_quota.hpp"
#include "dialects/common/guards.hpp"
#include "dialects/openai/openai.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::openai {

namespace {

http::ApiError Unauthorized(std::string message, std::optional<std::string> code) {
  auto e = http::MakeError(http::ErrorKind::kUnauthorized, std::move(message));
  e.code = std::move(code);
  return e;
}

// Why a key or token that was recognised is still refused; nullopt when it was not
// recognised (then it is an incorrect key). A store failure is not the client's fault.
std::optional<http::ApiError> Refusal(const core::Error& error) {
  if (error.code() == core::ErrorCode::kPermissionDenied) {
    auto e = http::MakeError(http::ErrorKind::kForbidden,
                             "This key belongs to an account that has been banned. Contact the administrator.");
    e.code = "account_banned";
    e.details["type"] = "request_forbidden";
    return e;
  }
  if (error.code() == core::ErrorCode::kUnauthenticated) return std::nullopt;
  return FromCore(error);
}

std::int64_t UnixSeconds(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

// OpenAI's base64 encoding: the vector as little-endian float32, base64-encoded.
std::string Base64Floats(const std::vector<double>& values) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes;
  bytes.reserve(values.size() * 4);
  for (const double v : values) {
    const auto f = static_cast<float>(v);
    std::uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof(bits));
    for (int i = 0; i < 4; ++i) bytes += static_cast<char>((bits >> (8 * i)) & 0xFF);
  }
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t n = static_cast<std::uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<std::uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

boost::json::object ModelJson(const core::llm::ModelInfo& m, std::int64_t created) {
  return {{"id", m.id},
          {"object", "model"},
          {"created", created},
          {"owned_by", m.owned_by.empty() ? m.provider : m.owned_by}};
}

http::Reply Models(const Deps& services) {
  auto models = services.gateway.Models();
  if (!models) return FromCore(models.error());
  boost::json::array data;
  const auto created = UnixSeconds(services.clock);
  for (const auto& m : *models) data.push_back(ModelJson(m, created));
  return http::JsonReply(200, {{"object", "list"}, {"data", std::move(data)}});
}

// GET /v1/models/{model} (the SDKs' models.retrieve); `id` is the decoded path, so a
// slash id works sent as is (two segments) and percent-encoded (one).
http::Reply OneModel(const Deps& services, const std::string& id) {
  auto models = services.gateway.Models();
  if (!models) return FromCore(models.error());
  for (const auto& m : *models) {
    if (m.id == id) return http::JsonReply(200, ModelJson(m, UnixSeconds(services.clock)));
  }
  auto e = http::MakeError(http::ErrorKind::kNotFound,
                           "The model '" + id + "' does not exist or you do not have access to it.");
  e.code = "model_not_found";
  return e;
}

http::Reply Embeddings(const Deps& services, const http::Request& req, const core::identity::Principal& who) {
  auto parsed = http::ParseJsonObject(req);
  if (!parsed) return std::move(parsed).error();
  const auto& body = *parsed;
  core::llm::EmbeddingRequest request;
  const auto* model = body.if_contains("model");
  if (model == nullptr || model->is_null() || (model->is_string() && model->as_string().empty())) {
    return InvalidParam("you must provide a model parameter", "model", "");
  }
  if (!model->is_string()) return WrongType("model", "a string", *model);
  request.model = std::string(model->as_string());
  const auto* input = body.if_contains("input");
  if (input == nullptr) {
    return InvalidParam("Missing required parameter: 'input'.", "input", "missing_required_parameter");
  }
  if (input->is_string()) {
    request.inputs.emplace_back(input->as_string());
  } else if (input->is_array() && !input->as_array().empty() && input->as_array().size() <= 2048) {
    for (const auto& item : input->as_array()) {
      if (!item.is_string()) return WrongType("input", "a string or an array of strings", item);
      request.inputs.emplace_back(item.as_string());
    }
  } else if (input->is_array()) {
    return InvalidParam("Invalid 'input': expected an array of 1 to 2048 strings.", "input", "invalid_value");
  } else {
    return WrongType("input", "a string or an array of strings", *input);
  }
  if (const auto* dims = body.if_contains("dimensions"); dims != nullptr && !dims->is_null()) {
    if (!dims->is_int64() && !dims->is_uint64()) return WrongType("dimensions", "an integer", *dims);
    if (!dims->is_int64() || dims->as_int64() < 1 || dims->as_int64() > 65536) {
      return InvalidParam("Invalid 'dimensions'.", "dimensions", "invalid_value");
    }
    request.dimensions = dims->as_int64();
  }
  bool base64 = false;
  if (const auto* fmt = body.if_contains("encoding_format"); fmt != nullptr && !fmt->is_null()) {
    if (!fmt->is_string()) return WrongType("encoding_format", "a string", *fmt);
    if (fmt->as_string() != "float" && fmt->as_string() != "base64") {
      return InvalidParam("Invalid 'encoding_format': expected 'float' or 'base64'.", "encoding_format",
                          "invalid_value");
    }
    base64 = fmt->as_string() == "base64";
  }
  request.user = who.user_id;
  if (auto allowance = core::quota::TokenQuota(services.conversations).Check(who.user_id); !allowance) {
    return FromCore(allowance.error());
  }
  auto result = services.gateway.Embed(request);
  if (!result) return FromCore(result.error());
  if (auto counted = services.conversations.AddUsage(who.user_id, result->usage.total_tokens); !counted) {
    return FromCore(counted.error());
  }
  boost::json::array data;
  for (std::size_t i = 0; i < result->vectors.size(); ++i) {
    boost::json::value embedding;
    if (base64) {
      embedding = Base64Floats(result->vectors[i]);
    } else {
      boost::json::array vec;
      for (const double x : result->vectors[i]) vec.push_back(x);
      embedding = std::move(vec);
    }
    data.push_back(boost::json::object{{"object", "embedding"}, {"index", i}, {"embedding", std::move(embedding)}});
  }
  return http::JsonReply(
      200, {{"object", "list"},
            {"data", std::move(data)},
            {"model", result->model},
            {"usage", {{"prompt_tokens", result->usage.prompt_tokens}, {"total_tokens", result->usage.total_tokens}}}});
}

}  // namespace

http::Result<core::identity::Principal> Authenticate(const CommonDeps& services, const http::Request& request) {
  const auto token = http::BearerToken(request);
  if (!token || token->empty()) {
    return Unauthorized(
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer "
        "auth (i.e. Authorization: Bearer YOUR_KEY).",
        std::nullopt);
  }
  // An Atrium API key, or else a user's access token. A right key of a banned account
  // is not an incorrect key: 403, OpenAI's answer to a request it will not serve.
  auto key = services.api_keys.Authenticate(*token);
  if (key) return std::move(*key);
  if (auto refused = Refusal(key.error())) return std::move(*refused);
  auto user = services.identity.Authenticate(*token);
  if (user) return std::move(*user);
  if (auto refused = Refusal(user.error())) return std::move(*refused);
  return Unauthorized("Incorrect API key provided.", "invalid_api_key");
}

GuardStyle Style() {
  GuardStyle style;
  style.rate_message = "Rate limit reached for requests. Please try again later.";
  style.authenticate = Authenticate;
  // Failed keys spend an address budget, so keys cannot be guessed without limit (and
  // with the limiter unreachable, failed keys are refused: closed).
  style.anonymous = core::ratelimit::RateRule{"openai_auth", 30, std::chrono::seconds(60), 0, core::FailMode::kClosed};
  return style;
}

void AddRoutes(http::Site& site, const Deps& services) {
  const core::ratelimit::RateRule general{"openai_general", 600, std::chrono::seconds(60), 0};
  site.Add(http::Method::kGet, "/v1/models",
           PerUser(services, general, Style(),
                   [&services](http::Request&, const core::identity::Principal&) { return Models(services); }));
  site.Add(http::Method::kGet, "/v1/models/:model",
           PerUser(services, general, Style(), [&services](http::Request& req, const core::identity::Principal&) {
             return OneModel(services, std::string(*req.Param("model")));
           }));
  site.Add(http::Method::kGet, "/v1/models/:provider/:name",
           PerUser(services, general, Style(), [&services](http::Request& req, const core::identity::Principal&) {
             return OneModel(services, std::string(*req.Param("provider")) + "/" + std::string(*req.Param("name")));
           }));
  site.Add(http::Method::kPost, "/v1/embeddings",
           PerUser(services, general, Style(),
                   [&services](http::Request& req, const core::identity::Principal& who) {
                     return Embeddings(services, req, who);
                   }),
           {.body_limit = 4 << 20});
  AddChatRoutes(site, services);
}

}  // namespace atrium::dialects::openai
