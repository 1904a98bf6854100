#include "core/llm/model_catalog.hpp"

#include <boost/json.hpp>

#include "core/llm/not_configured.hpp"

namespace atrium::core::llm {

namespace {

Error Unavailable(std::string internal) {
  return Error(ErrorCode::kUnavailable, "The LLM upstream is unavailable", std::move(internal))
      .WithReason(Reason::kLlmUnavailable);
}

std::optional<std::int64_t> PositiveInt(const boost::json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64() && v->as_int64() > 0) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->as_uint64());
  }
  return std::nullopt;
}

std::optional<std::int64_t> ContextLength(const boost::json::object& model) {
  if (const auto* meta = model.if_contains("meta"); meta != nullptr && meta->is_object()) {
    if (auto n = PositiveInt(meta->as_object().if_contains("n_ctx_train"))) return n;
  }
  return PositiveInt(model.if_contains("context_length"));
}

std::optional<double> Price(const boost::json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return v->to_number<double>();
  if (v->is_string()) {
    try {
      std::size_t used = 0;
      const std::string text(v->as_string());
      const double d = std::stod(text, &used);
      if (used == text.size() && d >= 0) return d;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string Text(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

ModelCatalog::ModelCatalog(UpstreamSettings settings, net::HttpFetcher& fetcher, const Clock& clock,
                           std::chrono::seconds ttl, CatalogOptions options)
    : settings_(std::move(settings)), fetcher_(fetcher), clock_(clock), ttl_(ttl), options_(std::move(options)) {}

void ModelCatalog::Complete(ModelInfo& info) const {
  info.upstream = options_.upstream_name;
  if (info.name.empty()) info.name = info.id;
  if (info.provider.empty()) {
    const auto slash = info.id.find('/');
    // The id's prefix names the provider ("anthropic/claude-3-sonnet" is Anthropic's,
    // whoever serves it: OpenRouter says owned_by "openrouter"); a bare id falls back
    // to owned_by, then to the upstream's name.
    info.provider = slash != std::string::npos && slash > 0 ? info.id.substr(0, slash)
                    : !info.owned_by.empty()                ? info.owned_by
                                                            : options_.upstream_name;
  }
  if (auto it = options_.pricing.find(info.id); it != options_.pricing.end()) {
    info.prompt_price = it->second.prompt;
    info.completion_price = it->second.completion;
  }
}

CatalogSnapshot ModelCatalog::Cached() const {
  CatalogSnapshot snap;
  snap.configured = !settings_.base_url.empty();
  std::lock_guard lock(mu_);
  snap.models = models_;
  if (models_) snap.age = clock_.Steady() - fetched_at_;
  return snap;
}

bool ModelCatalog::FreshLocked(std::chrono::steady_clock::time_point now) const {
  return models_.has_value() && now - fetched_at_ < ttl_;
}

bool ModelCatalog::ServableLocked(std::chrono::steady_clock::time_point now) const {
  return models_.has_value() && now - fetched_at_ <= kStaleFor;
}

Result<std::vector<ModelInfo>> ModelCatalog::Models() {
  if (settings_.base_url.empty()) {
    return NotConfiguredError();
  }
  {
    std::lock_guard lock(mu_);
    if (FreshLocked(clock_.Steady())) return *models_;
  }
  std::unique_lock refresh(refresh_mu_, std::defer_lock);
  if (!refresh.try_lock()) {
    // Another caller is refreshing: a usable list is answered now rather than after it.
    {
      std::lock_guard lock(mu_);
      if (ServableLocked(clock_.Steady())) return *models_;
    }
    refresh.lock();
  }
  {
    std::lock_guard lock(mu_);
    if (FreshLocked(clock_.Steady())) return *models_;  // refreshed while we waited
  }
  auto fetched = Fetch();
  std::lock_guard lock(mu_);
  const auto now = clock_.Steady();
  if (fetched) {
    models_ = *fetched;
    fetched_at_ = now;
    return fetched;
  }
  if (ServableLocked(now)) return *models_;
  return fetched;
}

Result<std::vector<ModelInfo>> ModelCatalog::Refresh() {
  if (settings_.base_url.empty()) {
    return NotConfiguredError();
  }
  std::lock_guard refresh(refresh_mu_);
  auto fetched = Fetch();
  if (!fetched) return fetched;
  std::lock_guard lock(mu_);
  models_ = *fetched;
  fetched_at_ = clock_.Steady();
  return fetched;
}

std::string ModelCatalog::DefaultModel() {
  if (!settings_.model.empty()) return settings_.model;
  auto models = Models();
  if (!models || models->empty()) return {};
  return models->front().id;
}

Result<std::vector<ModelInfo>> ModelCatalog::Fetch() const {
  if (!options_.configured_models.empty()) {
    std::vector<ModelInfo> models;
    for (const auto& id : options_.configured_models) {
      ModelInfo info;
      info.id = id;
      info.is_default = settings_.model.empty() ? models.empty() : id == settings_.model;
      Complete(info);
      models.push_back(std::move(info));
    }
    return models;
  }
  std::vector<std::pair<std::string, std::string>> headers;
  if (!settings_.api_key.empty()) headers.emplace_back("Authorization", "Bearer " + settings_.api_key);
  std::string base = settings_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  net::FetchRequest request;
  request.url = base + "/models";
  request.headers = std::move(headers);
  request.connect_timeout = request.header_timeout = request.idle_timeout = settings_.timeout;
  request.ca_file = settings_.ca_file;
  // Get bounds the whole call by the timeout; a CA file of its own needs the full form.
  auto answer = settings_.ca_file.empty() ? fetcher_.Get(request.url, request.headers, settings_.timeout)
                                          : fetcher_.Send(request);
  if (!answer) return Unavailable("model list: " + answer.error().internal_message());
  if (answer->status != 200) return Unavailable("model list: upstream answered " + std::to_string(answer->status));
  boost::system::error_code ec;
  const auto json = boost::json::parse(answer->body, ec);
  const auto* data = (!ec && json.is_object()) ? json.as_object().if_contains("data") : nullptr;
  if (data == nullptr || !data->is_array()) return Unavailable("model list: upstream did not answer a model list");

  std::vector<ModelInfo> models;
  for (const auto& m : data->as_array()) {
    if (!m.is_object()) continue;
    const auto& obj = m.as_object();
    const auto* id = obj.if_contains("id");
    if (id == nullptr || !id->is_string() || id->as_string().empty()) continue;
    ModelInfo info;
    info.id = std::string(id->as_string());
    if (const auto* owner = obj.if_contains("owned_by"); owner != nullptr && owner->is_string()) {
      info.owned_by = std::string(owner->as_string());
    }
    info.context_length = ContextLength(obj);
    if (const auto* name = obj.if_contains("name"); name != nullptr && name->is_string()) {
      info.name = std::string(name->as_string());
    }
    if (const auto* pricing = obj.if_contains("pricing"); pricing != nullptr && pricing->is_object()) {
      info.prompt_price = Price(pricing->as_object().if_contains("prompt"));
      info.completion_price = Price(pricing->as_object().if_contains("completion"));
    }
    info.description = Text(obj, "description");
    if (const auto* top = obj.if_contains("top_provider"); top != nullptr && top->is_object()) {
      info.max_completion_tokens = PositiveInt(top->as_object().if_contains("max_completion_tokens"));
    }
    if (const auto* arch = obj.if_contains("architecture"); arch != nullptr && arch->is_object()) {
      info.modality = Text(arch->as_object(), "modality");
      info.tokenizer = Text(arch->as_object(), "tokenizer");
      info.instruct_type = Text(arch->as_object(), "instruct_type");
    }
    Complete(info);
    info.is_default = settings_.model.empty() ? models.empty() : info.id == settings_.model;
    models.push_back(std::move(info));
  }
  return models;
}

}  // namespace atrium::core::llm
