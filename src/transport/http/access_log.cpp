#include "transport/http/access_log.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "http/target_redaction.hpp"

namespace atrium::transport {

AccessLog::AccessLog(bool enabled) {
  if (!enabled) return;
  auto pool = std::make_shared<spdlog::details::thread_pool>(8192, 1);
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  logger_ = std::make_shared<spdlog::async_logger>("access", sink, pool, spdlog::async_overflow_policy::overrun_oldest);
  logger_->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ access %v", spdlog::pattern_time_type::utc);
  pool_ = pool;
}

AccessLog::~AccessLog() {
  if (logger_) logger_->flush();
}

void AccessLog::Write(const AccessRecord& r) {
  if (!logger_) return;
  logger_->info("{} {} \"{} {}\" {} {} {:.3f}ms id={}", r.site, r.remote, r.method, http::RedactTarget(r.target),
                r.status, r.bytes, static_cast<double>(r.duration.count()) / 1000.0, r.request_id);
}

}  // namespace atrium::transport
