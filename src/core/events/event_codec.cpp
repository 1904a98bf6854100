#include "core/events/event_codec.hpp"

#include <boost/json.hpp>
#include <optional>
#include <utility>

namespace atrium::core::events {

namespace {

namespace json = boost::json;

constexpr std::int64_t kVersion = 1;
// The codec's tag for OpaqueJson, whose own type is any client-chosen name (it may
// even be "message.delta"), so it travels inside the payload.
constexpr std::string_view kOpaqueTag = "opaque";

// --- enum names (the codec's own, so a log name may change without breaking a bus) ---

std::string_view StatusText(chat::MessageStatus status) {
  switch (status) {
    case chat::MessageStatus::kComplete:
      return "complete";
    case chat::MessageStatus::kCancelled:
      return "cancelled";
  }
  return "complete";
}

std::string_view CodeText(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kResourceExhausted:
      return "resource_exhausted";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

std::string_view ScopeText(identity::SessionsRevoked::Scope scope) {
  using S = identity::SessionsRevoked::Scope;
  switch (scope) {
    case S::kSessions:
      return "sessions";
    case S::kAll:
      return "all";
    case S::kAllExcept:
      return "all_except";
  }
  return "sessions";
}

std::string_view CauseText(identity::RevocationCause cause) {
  using C = identity::RevocationCause;
  switch (cause) {
    case C::kLogout:
      return "logout";
    case C::kPasswordChanged:
      return "password_changed";
    case C::kDeviceRemoved:
      return "device_removed";
    case C::kSessionRevoked:
      return "session_revoked";
    case C::kTokenReused:
      return "token_reused";
    case C::kAccountInactive:
      return "account_inactive";
  }
  return "logout";
}

std::string_view ChangeText(memory::MemoryChange change) {
  using C = memory::MemoryChange;
  switch (change) {
    case C::kCreated:
      return "created";
    case C::kUpdated:
      return "updated";
    case C::kDeleted:
      return "deleted";
  }
  return "created";
}

// The inverse of a *Text function over enumerators first..last.
template <class E>
std::optional<E> FromText(std::string_view text, std::string_view (*name)(E), E last) {
  for (int i = 0; i <= static_cast<int>(last); ++i) {
    if (name(static_cast<E>(i)) == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

std::string_view ReasonText(Reason reason) { return ReasonName(reason); }

// --- encoding ---

json::value Optional(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

struct Encoder {
  json::object& out;

  void operator()(const chat::MessageStarted& e) const {
    out = {{"conversation_id", e.conversation_id},
           {"message_id", e.message_id},
           {"user_message_id", e.user_message_id},
           {"model", e.model}};
  }
  void operator()(const chat::MessageDelta& e) const {
    out = {{"conversation_id", e.conversation_id}, {"message_id", e.message_id}, {"delta", e.delta}};
  }
  void operator()(const chat::MessageDone& e) const {
    out = {{"conversation_id", e.conversation_id},
           {"message_id", e.message_id},
           {"content", e.content},
           {"status", StatusText(e.status)},
           {"model", e.model},
           {"prompt_tokens", e.usage.prompt_tokens},
           {"completion_tokens", e.usage.completion_tokens},
           {"total_tokens", e.usage.total_tokens},
           {"generation_ms", e.generation_ms},
           {"cost_usd", e.cost_usd ? json::value(*e.cost_usd) : json::value(nullptr)}};
  }
  void operator()(const chat::MessageError& e) const {
    out = {{"conversation_id", e.conversation_id},
           {"message_id", e.message_id},
           {"code", CodeText(e.code)},
           {"reason", ReasonText(e.reason)},
           {"message", e.message}};
  }
  void operator()(const chat::ConversationTitle& e) const {
    out = {{"conversation_id", e.conversation_id}, {"title", e.title}};
  }
  void operator()(const chat::TurnCancelRequested& e) const {
    out = {{"turn_id", e.turn_id}, {"user_id", e.user_id}};
  }
  void operator()(const identity::SessionsRevoked& e) const {
    json::array ids;
    for (const auto& id : e.session_ids) ids.emplace_back(id);
    out = {{"user_id", e.user_id},
           {"scope", ScopeText(e.scope)},
           {"session_ids", std::move(ids)},
           {"cause", CauseText(e.cause)}};
  }
  void operator()(const logs::ClientLogReceived& e) const {
    out = {{"id", e.id},
           {"timestamp", e.timestamp},
           {"level", e.level},
           {"label", e.label},
           {"message", e.message},
           {"client_id", Optional(e.client_id)},
           {"client_name", Optional(e.client_name)}};
  }
  void operator()(const jobs::JobUpdated& e) const {
    out = {{"id", e.id},
           {"kind", e.kind},
           {"owner", e.owner},
           {"state", jobs::JobStateName(e.state)},
           {"attempts", e.attempts},
           {"done", e.progress.done},
           {"total", e.progress.total},
           {"message", e.progress.message},
           {"error", Optional(e.error)}};
  }
  void operator()(const memory::MemoryChanged& e) const {
    out = {{"user_id", e.user_id},
           {"memory_id", e.memory_id},
           {"change", ChangeText(e.change)},
           {"origin", memory::OriginName(e.origin)},
           {"content", e.content}};
  }
  void operator()(const OpaqueJson& e) const { out = {{"type", e.type}, {"json", e.json}}; }
};

// --- decoding: each reader fails the whole decode when a field is missing or wrong ---

class Reader {
 public:
  explicit Reader(const json::object& o) : o_(o) {}
  bool ok() const { return ok_; }

  std::string String(std::string_view key) {
    const auto* v = o_.if_contains(key);
    if (v == nullptr || !v->is_string()) return Fail<std::string>();
    return std::string(v->as_string());
  }
  std::optional<std::string> OptionalString(std::string_view key) {
    const auto* v = o_.if_contains(key);
    if (v == nullptr) return Fail<std::optional<std::string>>();
    if (v->is_null()) return std::nullopt;
    if (!v->is_string()) return Fail<std::optional<std::string>>();
    return std::string(v->as_string());
  }
  std::int64_t Int(std::string_view key) {
    const auto* v = o_.if_contains(key);
    if (v == nullptr || !v->is_int64()) return Fail<std::int64_t>();
    return v->as_int64();
  }
  std::optional<double> OptionalDouble(std::string_view key) {
    const auto* v = o_.if_contains(key);
    if (v == nullptr) return Fail<std::optional<double>>();
    if (v->is_null()) return std::nullopt;
    if (v->is_double()) return v->as_double();
    if (v->is_int64()) return static_cast<double>(v->as_int64());
    return Fail<std::optional<double>>();
  }
  std::vector<std::string> Strings(std::string_view key) {
    const auto* v = o_.if_contains(key);
    if (v == nullptr || !v->is_array()) return Fail<std::vector<std::string>>();
    std::vector<std::string> out;
    for (const auto& item : v->as_array()) {
      if (!item.is_string()) return Fail<std::vector<std::string>>();
      out.emplace_back(item.as_string());
    }
    return out;
  }
  template <class E>
  E Enum(std::string_view key, std::string_view (*name)(E), E last) {
    auto parsed = FromText(String(key), name, last);
    if (!parsed) return Fail<E>();
    return *parsed;
  }

 private:
  template <class T>
  T Fail() {
    ok_ = false;
    return T{};
  }

  const json::object& o_;
  bool ok_ = true;
};

std::optional<Payload> DecodePayload(std::string_view type, const json::object& o) {
  Reader r(o);
  auto done = [&r](auto value) -> std::optional<Payload> {
    if (!r.ok()) return std::nullopt;
    return Payload(std::move(value));
  };
  if (type == "message.started") {
    return done(chat::MessageStarted{r.String("conversation_id"), r.String("message_id"), r.String("user_message_id"),
                                     r.String("model")});
  }
  if (type == "message.delta") {
    return done(chat::MessageDelta{r.String("conversation_id"), r.String("message_id"), r.String("delta")});
  }
  if (type == "message.done") {
    chat::MessageDone e;
    e.conversation_id = r.String("conversation_id");
    e.message_id = r.String("message_id");
    e.content = r.String("content");
    e.status = r.Enum("status", StatusText, chat::MessageStatus::kCancelled);
    e.model = r.String("model");
    e.usage = {r.Int("prompt_tokens"), r.Int("completion_tokens"), r.Int("total_tokens")};
    e.generation_ms = r.Int("generation_ms");
    e.cost_usd = r.OptionalDouble("cost_usd");
    return done(std::move(e));
  }
  if (type == "message.error") {
    chat::MessageError e;
    e.conversation_id = r.String("conversation_id");
    e.message_id = r.String("message_id");
    e.code = r.Enum("code", CodeText, ErrorCode::kInternal);
    e.reason = r.Enum("reason", ReasonText, kLastReason);
    e.message = r.String("message");
    return done(std::move(e));
  }
  if (type == "conversation.title") {
    return done(chat::ConversationTitle{r.String("conversation_id"), r.String("title")});
  }
  if (type == "chat.turn_cancel_requested") {
    return done(chat::TurnCancelRequested{r.String("turn_id"), r.String("user_id")});
  }
  if (type == "identity.sessions_revoked") {
    identity::SessionsRevoked e;
    e.user_id = r.String("user_id");
    e.scope = r.Enum("scope", ScopeText, identity::SessionsRevoked::Scope::kAllExcept);
    e.session_ids = r.Strings("session_ids");
    e.cause = r.Enum("cause", CauseText, identity::RevocationCause::kAccountInactive);
    return done(std::move(e));
  }
  if (type == "client_log.received") {
    logs::ClientLogReceived e;
    e.id = r.String("id");
    e.timestamp = r.String("timestamp");
    e.level = r.String("level");
    e.label = r.String("label");
    e.message = r.String("message");
    e.client_id = r.OptionalString("client_id");
    e.client_name = r.OptionalString("client_name");
    return done(std::move(e));
  }
  if (type == "job.updated") {
    jobs::JobUpdated e;
    e.id = r.String("id");
    e.kind = r.String("kind");
    e.owner = r.String("owner");
    const auto state = jobs::JobStateFromName(r.String("state"));
    e.attempts = static_cast<int>(r.Int("attempts"));
    e.progress = {r.Int("done"), r.Int("total"), r.String("message")};
    e.error = r.OptionalString("error");
    if (!state) return std::nullopt;
    e.state = *state;
    return done(std::move(e));
  }
  if (type == "memory.changed") {
    memory::MemoryChanged e;
    e.user_id = r.String("user_id");
    e.memory_id = r.String("memory_id");
    e.change = r.Enum("change", ChangeText, memory::MemoryChange::kDeleted);
    const auto origin = memory::OriginFromName(r.String("origin"));
    e.content = r.String("content");
    if (!origin) return std::nullopt;
    e.origin = *origin;
    return done(std::move(e));
  }
  if (type == kOpaqueTag) {
    OpaqueJson e{r.String("type"), r.String("json")};
    if (e.type.empty()) return std::nullopt;
    return done(std::move(e));
  }
  return std::nullopt;
}

Error Malformed(std::string what) {
  return Error(ErrorCode::kInvalidArgument, "malformed bus event", "malformed bus event: " + std::move(what));
}

}  // namespace

std::string EncodeEvent(const Event& event) {
  json::object payload;
  std::visit(Encoder{payload}, event.payload);
  json::array topics;
  for (const auto& topic : event.topics) topics.emplace_back(topic);
  const std::string_view type = event.As<OpaqueJson>() != nullptr ? kOpaqueTag : EventTypeName(event.payload);
  // The sequence is a bus-stamped counter; it fits int64 for any real bus's life.
  return json::serialize(json::object{{"v", kVersion},
                                      {"type", type},
                                      {"topics", std::move(topics)},
                                      {"sequence", static_cast<std::int64_t>(event.sequence)},
                                      {"payload", std::move(payload)}});
}

Result<Event> DecodeEvent(std::string_view text) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Malformed("not a JSON object");
  const json::object& o = v.as_object();
  Reader r(o);
  if (r.Int("v") != kVersion || !r.ok()) return Malformed("unknown version");
  const std::string type = r.String("type");
  std::vector<std::string> topics = r.Strings("topics");
  const std::int64_t sequence = r.Int("sequence");
  const auto* payload = o.if_contains("payload");
  if (!r.ok() || sequence < 0 || payload == nullptr || !payload->is_object()) return Malformed("missing field");
  auto decoded = DecodePayload(type, payload->as_object());
  if (!decoded) return Malformed("bad payload for " + type);
  return Event{std::move(topics), std::move(*decoded), static_cast<std::uint64_t>(sequence)};
}

}  // namespace atrium::core::events
