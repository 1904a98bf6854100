#include "core/llm/upstream_probe.hpp"

#include <boost/json.hpp>

namespace atrium::core::llm {

health::ProbeResult UpstreamProbe::Check() {
  const auto start = clock_.Steady();
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
  health::ProbeResult result;
  result.latency = std::chrono::duration_cast<std::chrono::microseconds>(clock_.Steady() - start);
  result.label = settings_.model;
  if (!answer) {
    result.detail = answer.error().safe_message();
    return result;
  }
  if (answer->status != 200) {
    result.detail = "upstream answered " + std::to_string(answer->status);
    return result;
  }
  boost::system::error_code ec;
  const auto json = boost::json::parse(answer->body, ec);
  const auto* data = (!ec && json.is_object()) ? json.as_object().if_contains("data") : nullptr;
  if (data == nullptr || !data->is_array()) {
    result.detail = "upstream did not answer a model list";
    return result;
  }
  bool found = settings_.model.empty();
  for (const auto& m : data->as_array()) {
    const auto* id = m.is_object() ? m.as_object().if_contains("id") : nullptr;
    if (id == nullptr || !id->is_string()) continue;
    if (result.label.empty()) result.label = std::string(id->as_string());
    if (id->as_string() == settings_.model) found = true;
  }
  if (!found) {
    result.detail = "model '" + settings_.model + "' is not offered by the upstream";
    return result;
  }
  result.healthy = true;
  return result;
}

}  // namespace atrium::core::llm
