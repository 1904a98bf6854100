#include "core/llm/model_catalog.hpp"

#include <boost/json.hpp>

namespace atrium::core::llm {

namespace {

Error Unavailable(std::string internal) {
  return Error(ErrorCode::kUnavailable, "The LLM upstream is unavailable", std::move(internal))
      .WithReason("llm_unavailable");
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

}  // namespace

ModelCatalog::ModelCatalog(UpstreamSettings settings, net::HttpFetcher& fetcher, const Clock& clock,
                           std::chrono::seconds ttl)
    : settings_(std::move(settings)), fetcher_(fetcher), clock_(clock), ttl_(ttl) {}

bool ModelCatalog::FreshLocked(std::chrono::steady_clock::time_point now) const {
  return models_.has_value() && now - fetched_at_ < ttl_;
}

bool ModelCatalog::ServableLocked(std::chrono::steady_clock::time_point now) const {
  return models_.has_value() && now - fetched_at_ <= kStaleFor;
}

Result<std::vector<ModelInfo>> ModelCatalog::Models() {
  if (settings_.base_url.empty()) {
    return Error(ErrorCode::kUnavailable, "No LLM upstream is configured").WithReason("llm_not_configured");
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

std::string ModelCatalog::DefaultModel() {
  if (!settings_.model.empty()) return settings_.model;
  auto models = Models();
  if (!models || models->empty()) return {};
  return models->front().id;
}

Result<std::vector<ModelInfo>> ModelCatalog::Fetch() const {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!settings_.api_key.empty()) headers.emplace_back("Authorization", "Bearer " + settings_.api_key);
  std::string base = settings_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto answer = fetcher_.Get(base + "/models", headers, settings_.timeout);
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
    info.is_default = settings_.model.empty() ? models.empty() : info.id == settings_.model;
    models.push_back(std::move(info));
  }
  return models;
}

}  // namespace atrium::core::llm
