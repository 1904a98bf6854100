#include "core/chat/title_job.hpp"

#include <boost/json.hpp>

#include "core/chat/chat_events.hpp"
#include "core/chat/chat_service.hpp"
#include "core/chat/conversation_store.hpp"
#include "core/events/event_bus.hpp"
#include "core/jobs/job_queue.hpp"
#include "core/llm/generation.hpp"

namespace atrium::core::chat {

namespace {

namespace json = boost::json;

constexpr std::string_view kTitlePrompt =
    "Write a short title (at most six words) for a conversation that begins with the user's message. "
    "Answer with the title only, without quotes.";

std::string Encode(const TitleRequest& r) {
  return json::serialize(json::object{{"user_id", r.user_id},
                                      {"conversation_id", r.conversation_id},
                                      {"initial_title", r.initial_title},
                                      {"seed", r.seed},
                                      {"model", r.model}});
}

std::optional<TitleRequest> Decode(std::string_view text) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  auto field = [&](std::string_view key) -> std::optional<std::string> {
    const auto* f = o.if_contains(key);
    if (f == nullptr || !f->is_string()) return std::nullopt;
    return std::string(f->as_string());
  };
  auto user = field("user_id"), conversation = field("conversation_id"), initial = field("initial_title"),
       seed = field("seed"), model = field("model");
  if (!user || !conversation || !initial || !seed || !model) return std::nullopt;
  return TitleRequest{*user, *conversation, *initial, *seed, *model};
}

}  // namespace

Result<bool> GenerateTitle(ConversationStore& store, llm::Generator& generator, events::EventBus& bus,
                           const TitleRequest& r) {
  llm::GenerationRequest request;
  request.model = r.model;
  request.system_prompt = std::string(kTitlePrompt);
  request.messages = {{"user", r.seed}};
  request.sampling.max_tokens = 24;
  request.sampling.temperature = 0.3;
  auto answer = generator.Generate(request);
  if (!answer) return answer.error();
  const std::string title = CleanTitle(answer->content);
  if (title.empty()) return false;
  auto set = store.SetTitleIf(r.user_id, r.conversation_id, r.initial_title, title);
  if (!set) return set.error();
  if (!*set) return false;
  (void)bus.Publish({{events::topics::User(r.user_id), events::topics::Conversation(r.conversation_id)},
                     ConversationTitle{r.conversation_id, title}});
  return true;
}

void JobTitleScheduler::Schedule(const TitleRequest& request) {
  (void)queue_.Enqueue(std::string(kTitleJobKind), Encode(request),
                       {.owner = request.user_id, .dedupe_key = "chat.title:" + request.conversation_id});
}

Result<std::string> TitleJobHandler::Run(jobs::JobContext& context) {
  auto request = Decode(context.job().payload);
  if (!request) return Error(ErrorCode::kInvalidArgument, "The title job's payload is not a title request");
  auto replaced = GenerateTitle(store_, generator_, bus_, *request);
  if (!replaced) return replaced.error();
  context.Progress({1, 1, *replaced ? "Title set" : "Title kept"});
  return std::string(*replaced ? "replaced" : "kept");
}

}  // namespace atrium::core::chat
