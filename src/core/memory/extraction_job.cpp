#include "core/memory/extraction_job.hpp"

#include <boost/json.hpp>
#include <functional>

#include "core/jobs/job_queue.hpp"
#include "core/llm/generation.hpp"
#include "core/memory/fact_extraction.hpp"
#include "core/memory/memory_consolidation.hpp"

namespace atrium::core::memory {

namespace {

namespace json = boost::json;

}  // namespace

std::string ExtractionSource(const ExtractionRequest& r) {
  return "auto:conversation/" + r.conversation_id + "/message/" + r.message_id;
}

std::string EncodeRequest(const ExtractionRequest& r) {
  return json::serialize(json::object{{"user_id", r.user_id},
                                      {"conversation_id", r.conversation_id},
                                      {"message_id", r.message_id},
                                      {"answer_message_id", r.answer_message_id},
                                      {"text", r.text},
                                      {"model", r.model}});
}

std::optional<ExtractionRequest> DecodeRequest(std::string_view payload) {
  boost::system::error_code ec;
  const json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  auto field = [&](std::string_view key) -> std::optional<std::string> {
    const auto* f = o.if_contains(key);
    if (f == nullptr || !f->is_string()) return std::nullopt;
    return std::string(f->as_string());
  };
  auto user = field("user_id"), conversation = field("conversation_id"), message = field("message_id"),
       answer = field("answer_message_id"), text = field("text"), model = field("model");
  if (!user || !conversation || !message || !answer || !text || !model) return std::nullopt;
  if (user->empty() || conversation->empty() || message->empty()) return std::nullopt;
  return ExtractionRequest{*user, *conversation, *message, *answer, *text, *model};
}

std::string EncodeSummary(const ExtractionSummary& s) {
  return json::serialize(json::object{{"readable", s.readable},
                                      {"facts", s.facts},
                                      {"added", s.added},
                                      {"updated", s.updated},
                                      {"deleted", s.deleted},
                                      {"kept", s.kept}});
}

void JobExtractionScheduler::Schedule(const ExtractionRequest& request) {
  (void)queue_.Enqueue(std::string(kExtractionJobKind), EncodeRequest(request),
                       {.owner = request.user_id, .dedupe_key = "memory.extract:" + request.answer_message_id});
}

std::mutex& ExtractionJobHandler::UserLock(const std::string& user_id) {
  return user_locks_[std::hash<std::string>{}(user_id) % user_locks_.size()];
}

Result<ExtractionSummary> ExtractionJobHandler::Extract(const ExtractionRequest& request, jobs::JobContext* context) {
  auto answer = generator_.Generate(FactExtractionRequest(request.text, request.model));
  if (!answer) return answer.error();
  ExtractionSummary summary;
  auto facts = ParseExtraction(answer->content);
  if (!facts) {
    summary.readable = false;
    return summary;
  }
  summary.facts = static_cast<std::int64_t>(facts->size());
  const std::string source = ExtractionSource(request);
  Consolidator consolidator(memories_, generator_, similar_);
  std::lock_guard lock(UserLock(request.user_id));
  for (std::size_t i = 0; i < facts->size(); ++i) {
    if (context != nullptr) {
      if (context->stopping()) return Error(ErrorCode::kUnavailable, "The extraction was stopped");
      (void)context->Progress({static_cast<std::int64_t>(i), summary.facts, "Consolidating memories"});
    }
    auto outcome = consolidator.Consolidate(request.user_id, (*facts)[i], source, request.model);
    if (!outcome) return outcome.error();
    switch (outcome->what) {
      case Consolidated::kAdded:
        ++summary.added;
        break;
      case Consolidated::kUpdated:
        ++summary.updated;
        break;
      case Consolidated::kDeleted:
        ++summary.deleted;
        break;
      case Consolidated::kKept:
        ++summary.kept;
        break;
    }
  }
  return summary;
}

Result<std::string> ExtractionJobHandler::Run(jobs::JobContext& context) {
  auto request = DecodeRequest(context.job().payload);
  if (!request) return Error(ErrorCode::kInvalidArgument, "The job's payload is not a memory extraction request");
  auto summary = Extract(*request, &context);
  if (!summary) return summary.error();
  (void)context.Progress(
      {summary->facts, summary->facts, summary->readable ? "Memories consolidated" : "No facts read"});
  return EncodeSummary(*summary);
}

}  // namespace atrium::core::memory
