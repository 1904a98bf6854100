// GET and POST /v1/webhooks/whatsapp: the Cloud API's verification handshake, and
// incoming messages (signed with X-Hub-Signature-256) answered through the commands or
// the responder, with the reply sent back through the Cloud API. Each message id is
// processed once, even when the sender retries a delivery. Only numbers listed in
// webhooks.whatsapp.allowed_senders are served, each as its own user; anyone else gets
// kRefusalReply (at most once a day per number, and kRefusalsPerHour in all) and
// nothing of anyone's data.

#include <boost/json.hpp>

#include "core/identity/crypto.hpp"
#include "core/identity/identity_service.hpp"
#include "core/messaging/delivery_log.hpp"
#include "core/messaging/whatsapp.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "dialects/common/fields.hpp"
#include "dialects/pisovereign/command_text.hpp"
#include "dialects/pisovereign/pisovereign.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::pisovereign {

namespace {

namespace json = boost::json;

constexpr const char* kRefusalReply = "Sorry, this number only answers its registered users.";
constexpr int kRefusalsPerHour = 30;

// Whether an unknown sender is sent the refusal: once per number per day, and a
// bounded number overall, so a flood of strangers costs few outgoing messages. Both fail
// closed: with the limiter unreachable, strangers are not answered at all.
bool MayRefuse(const Deps& services, const std::string& sender) {
  const core::ratelimit::RateRule per_sender{"pisovereign.whatsapp_refusal", 1, std::chrono::hours(24), 1,
                                             core::FailMode::kClosed};
  const core::ratelimit::RateRule overall{"pisovereign.whatsapp_refusals", kRefusalsPerHour, std::chrono::hours(1),
                                          kRefusalsPerHour, core::FailMode::kClosed};
  const std::string number = core::messaging::NormalizePhone(sender);
  const std::string key = "whatsapp:" + (number.empty() ? sender : number);
  if (!core::ratelimit::Passes(per_sender, services.limiter.Check(per_sender, key))) return false;
  return core::ratelimit::Passes(overall, services.limiter.Check(overall, "whatsapp"));
}

// The user an allowed sender acts as, when that user exists and is active.
std::optional<std::string> ActiveUserFor(const Deps& services, const std::string& sender) {
  auto user_id = core::messaging::UserForSender(services.whatsapp.settings(), sender);
  if (!user_id) return std::nullopt;
  auto user = services.identity.GetUser(*user_id);
  if (!user || user->status != core::identity::UserStatus::kActive) return std::nullopt;
  return user_id;
}

struct Message {
  std::string id;
  std::string from;
  std::string type;
  std::string text;
};

std::string StringAt(const json::object& o, std::string_view key) {
  return StringIfAny(o, key).value_or(std::string());
}

// Every message of every change of every entry; malformed parts are skipped.
std::vector<Message> Messages(const json::object& body) {
  std::vector<Message> out;
  const auto* entries = body.if_contains("entry");
  if (!entries || !entries->is_array()) return out;
  for (const auto& entry : entries->as_array()) {
    if (!entry.is_object()) continue;
    const auto* changes = entry.as_object().if_contains("changes");
    if (!changes || !changes->is_array()) continue;
    for (const auto& change : changes->as_array()) {
      if (!change.is_object()) continue;
      const auto* value = change.as_object().if_contains("value");
      if (!value || !value->is_object()) continue;
      const auto* messages = value->as_object().if_contains("messages");
      if (!messages || !messages->is_array()) continue;
      for (const auto& m : messages->as_array()) {
        if (!m.is_object()) continue;
        const auto& o = m.as_object();
        Message msg{StringAt(o, "id"), StringAt(o, "from"), StringAt(o, "type"), {}};
        if (const auto* t = o.if_contains("text"); t && t->is_object()) msg.text = StringAt(t->as_object(), "body");
        // Without an id, the message itself identifies a repeated delivery.
        if (msg.id.empty()) msg.id = "sha256:" + core::identity::Sha256Hex(json::serialize(m));
        out.push_back(std::move(msg));
      }
    }
  }
  return out;
}

http::Reply Verify(const Deps& services, http::Request& req) {
  if (services.whatsapp.settings().verify_token.empty()) {
    return http::MakeError(http::ErrorKind::kUnavailable, "WhatsApp webhook is not configured");
  }
  const auto mode = req.QueryParam("hub.mode");
  const auto token = req.QueryParam("hub.verify_token");
  const auto challenge = req.QueryParam("hub.challenge");
  if (!mode || !token || !challenge) {
    return http::MakeError(http::ErrorKind::kBadRequest, "hub.mode, hub.verify_token and hub.challenge are required");
  }
  auto echo = core::messaging::VerificationChallenge(services.whatsapp.settings(), *mode, *token, *challenge);
  if (!echo) return http::MakeError(http::ErrorKind::kForbidden, "Verification failed");
  http::Response r;
  r.status = 200;
  r.headers.Set("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(*echo);
  return r;
}

http::Reply Receive(const Deps& services, http::Request& req) {
  if (services.whatsapp.settings().app_secret.empty()) {
    return http::MakeError(http::ErrorKind::kUnavailable, "WhatsApp webhook is not configured");
  }
  const auto signature = req.headers.Get("X-Hub-Signature-256");
  if (!signature || !core::messaging::SignatureValid(services.whatsapp.settings().app_secret, req.body, *signature)) {
    return http::MakeError(http::ErrorKind::kUnauthorized, "Invalid signature");
  }
  auto parsed = http::ParseJsonObject(req);
  if (!parsed) return std::move(parsed).error();
  const auto& body = *parsed;

  int processed = 0, duplicates = 0, replies = 0, failed = 0, refused = 0;
  const auto messages = Messages(body);
  for (const auto& m : messages) {
    auto first = services.deliveries.FirstDelivery("whatsapp", m.id);
    if (!first) return http::FromCoreError(first.error());  // the sender retries later
    if (!*first) {
      ++duplicates;
      continue;
    }
    ++processed;
    if (m.from.empty()) continue;
    const auto user_id = ActiveUserFor(services, m.from);
    if (!user_id) {
      ++refused;  // the delivery is recorded above; the refusal is counted in the receipt
      if (MayRefuse(services, m.from)) (void)services.whatsapp.SendText(m.from, kRefusalReply);  // best effort
      continue;
    }
    if (m.type != "text" || m.text.empty()) continue;
    const std::string reply = AnswerText(services, *user_id, m.from, m.text);
    if (auto sent = services.whatsapp.SendText(m.from, reply); sent) {
      ++replies;
    } else {
      ++failed;  // delivered once is delivered: a failed reply is not retried by a redelivery
    }
  }
  return http::JsonReply(200, {{"status", "received"},
                               {"messages", messages.size()},
                               {"processed", processed},
                               {"duplicates", duplicates},
                               {"replies_sent", replies},
                               {"replies_failed", failed},
                               {"refused", refused}});
}

}  // namespace

void AddWebhookRoutes(http::Site& site, const Deps& services) {
  site.Add(http::Method::kGet, "/v1/webhooks/whatsapp",
           [&services](http::Request& req) -> http::Reply { return Verify(services, req); },
           {.doc = {.summary = "WhatsApp webhook verification (echoes hub.challenge)",
                    .tag = "Webhooks",
                    .response_type = "text/plain"}});
  site.Add(http::Method::kPost, "/v1/webhooks/whatsapp",
           [&services](http::Request& req) -> http::Reply { return Receive(services, req); },
           {.body_limit = 1 << 20,
            .doc = {.summary = "WhatsApp webhook for incoming messages (X-Hub-Signature-256)",
                    .tag = "Webhooks",
                    .request_schema = "WhatsAppWebhook",
                    .response_schema = "WebhookReceipt"}});
}

}  // namespace atrium::dialects::pisovereign
