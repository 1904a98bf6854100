// Prometheus text exposition format 0.0.4. Families are written whole (HELP, TYPE,
// samples) and label values escaped, so `promtool check metrics` accepts the output.

#include <cstdio>
#include <string>

#include "dialects/pisovereign/pisovereign.hpp"

#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"
#include "core/metrics/shared_state_stats.hpp"

namespace atrium::dialects::pisovereign {

namespace {

using core::metrics::kLatencyBoundsMs;

void AppendEscaped(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

std::string Labels(const core::metrics::RouteSnapshot& r) {
  std::string out = "dialect=\"";
  AppendEscaped(out, r.dialect);
  out += "\",method=\"";
  AppendEscaped(out, r.method.empty() ? "any" : r.method);
  out += "\",route=\"";
  AppendEscaped(out, r.route);
  out += '"';
  return out;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

// Writes _bucket/_sum/_count lines; bounds are scaled by `scale` (1 for ms, 0.001 for s).
void Histogram(std::string& out, std::string_view name, const std::string& labels,
               const core::metrics::HistogramSnapshot& h, double scale) {
  const std::string sep = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    cumulative += h.counts[i];
    const std::string le = i < kLatencyBoundsMs.size() ? Number(kLatencyBoundsMs[i] * scale) : "+Inf";
    out += std::string(name) + "_bucket{" + labels + sep + "le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out += std::string(name) + "_sum" + braces + " " + Number(h.sum_ms * scale) + "\n";
  out += std::string(name) + "_count" + braces + " " + std::to_string(h.count) + "\n";
}

}  // namespace

std::string PrometheusText(const core::metrics::RequestMetrics& metrics, const core::metrics::InferenceStats& inference,
                           std::chrono::seconds uptime) {
  static constexpr std::string_view kClassNames[core::metrics::kStatusClasses] = {
      "informational", "success", "redirect", "client_error", "server_error"};
  const auto routes = metrics.Snapshot();
  std::string out;
  out.reserve(4096 + routes.size() * 1024);

  Family(out, "app_uptime_seconds", "gauge", "Application uptime in seconds");
  out += "app_uptime_seconds " + std::to_string(uptime.count()) + "\n";

  Family(out, "http_requests_total", "counter", "Total HTTP requests by dialect, route and status class");
  for (const auto& r : routes) {
    const std::string labels = Labels(r);
    for (std::size_t i = 0; i < core::metrics::kStatusClasses; ++i) {
      if (r.status_counts[i] == 0 && i != 1) continue;  // always show success, others once seen
      out += "http_requests_total{" + labels + ",status=\"" + std::string(kClassNames[i]) + "\"} " +
             std::to_string(r.status_counts[i]) + "\n";
    }
  }

  Family(out, "http_requests_active", "gauge", "Requests being served, by dialect");
  for (const auto* d : metrics.Dialects()) {
    std::string line = "http_requests_active{dialect=\"";
    AppendEscaped(line, d->name());
    out += line + "\"} " + std::to_string(d->active_requests.load(std::memory_order_relaxed)) + "\n";
  }

  Family(out, "http_request_duration_seconds", "histogram", "HTTP request latency by dialect and route");
  for (const auto& r : routes) {
    if (r.latency.count == 0) continue;
    Histogram(out, "http_request_duration_seconds", Labels(r), r.latency, 0.001);
  }

  Family(out, "inference_requests_total", "counter", "LLM inference requests by outcome");
  out += "inference_requests_total{status=\"success\"} " + std::to_string(inference.success()) + "\n";
  out += "inference_requests_total{status=\"failed\"} " + std::to_string(inference.failed()) + "\n";
  Family(out, "inference_tokens_total", "counter",
         "Tokens consumed (prompt) and produced (completion) by LLM inference");
  out += "inference_tokens_total{type=\"prompt\"} " + std::to_string(inference.prompt_tokens()) + "\n";
  out += "inference_tokens_total{type=\"completion\"} " + std::to_string(inference.completion_tokens()) + "\n";
  // The spec names this inference_time_ms; promtool rejects abbreviated units, so it
  // is exposed in the base unit, seconds (see docs/dialects/pisovereign.md).
  Family(out, "inference_time_seconds", "histogram", "Inference time histogram");
  Histogram(out, "inference_time_seconds", "", inference.time(), 0.001);
  return out;
}

std::string SharedStateText(const core::metrics::SharedStateStats& stats) {
  if (!stats.enabled) return {};
  const auto load = [](const std::atomic<std::uint64_t>& n) {
    return std::to_string(n.load(std::memory_order_relaxed));
  };
  std::string out;
  Family(out, "atrium_bus_messages_total", "counter",
         "Events sent to other instances (out), received from them (in), and not sent (unsent, Redis unreachable)");
  out += "atrium_bus_messages_total{direction=\"out\"} " + load(stats.bus_messages_out) + "\n";
  out += "atrium_bus_messages_total{direction=\"in\"} " + load(stats.bus_messages_in) + "\n";
  out += "atrium_bus_messages_total{direction=\"unsent\"} " + load(stats.bus_messages_unsent) + "\n";
  Family(out, "atrium_redis_reconnects_total", "counter", "Redis connections re-established after a failure");
  out += "atrium_redis_reconnects_total " + load(stats.reconnects) + "\n";
  return out;
}

}  // namespace atrium::dialects::pisovereign
