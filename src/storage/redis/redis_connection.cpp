#include "storage/redis/redis_connection.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

namespace atrium::storage::redis {

namespace {

timeval ToTimeval(std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  return tv;
}

RedisValue Convert(const redisReply& reply) {
  RedisValue out;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      out.kind = RedisValue::Kind::kString;
      out.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_STATUS:
      out.kind = RedisValue::Kind::kStatus;
      out.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ERROR:
      out.kind = RedisValue::Kind::kError;
      out.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.kind = RedisValue::Kind::kInteger;
      out.integer = reply.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.kind = RedisValue::Kind::kArray;
      out.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) out.elements.push_back(Convert(*reply.element[i]));
      break;
    default:
      out.kind = RedisValue::Kind::kNil;
      break;
  }
  return out;
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

}  // namespace

struct RedisConnection::Context {
  redisContext* c = nullptr;
  ~Context() {
    if (c != nullptr) redisFree(c);
  }
};

RedisConnection::RedisConnection(std::unique_ptr<Context> context) : context_(std::move(context)) {}

RedisConnection::~RedisConnection() = default;

core::Result<std::unique_ptr<RedisConnection>> RedisConnection::Open(const RedisEndpoint& endpoint,
                                                                     std::chrono::milliseconds timeout) {
  auto context = std::make_unique<Context>();
  context->c = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, ToTimeval(timeout));
  if (context->c == nullptr)
    return core::Error(core::ErrorCode::kUnavailable, "Redis is unreachable", "redis: out of memory");
  if (context->c->err != 0) {
    return core::Error(core::ErrorCode::kUnavailable, "Redis is unreachable",
                       "redis " + endpoint.host + ":" + std::to_string(endpoint.port) + ": " + context->c->errstr);
  }
  if (redisSetTimeout(context->c, ToTimeval(timeout)) != REDIS_OK) {
    return core::Error(core::ErrorCode::kUnavailable, "Redis is unreachable", "redis: cannot set the socket timeout");
  }
  (void)redisEnableKeepAlive(context->c);  // best effort: a dead peer is also found by the timeouts
  std::unique_ptr<RedisConnection> connection(new RedisConnection(std::move(context)));
  std::vector<Command> setup;
  if (!endpoint.password.empty()) {
    setup.push_back(endpoint.user.empty() ? Command{"AUTH", endpoint.password}
                                          : Command{"AUTH", endpoint.user, endpoint.password});
  }
  if (endpoint.database != 0) setup.push_back({"SELECT", std::to_string(endpoint.database)});
  if (!setup.empty()) {
    auto replies = connection->Pipeline(setup);
    if (!replies) return replies.error();
    for (const auto& reply : *replies) {
      if (reply.is_error()) {
        return core::Error(core::ErrorCode::kUnavailable, "Redis refused the connection", "redis: " + reply.text);
      }
    }
  }
  return connection;
}

int RedisConnection::fd() const { return context_->c->fd; }

core::Error RedisConnection::Broken(const char* what) {
  std::string detail = std::string("redis ") + what + ": ";
  detail += context_->c->err != 0 ? context_->c->errstr : "connection lost";
  return core::Error(core::ErrorCode::kUnavailable, "Redis is unreachable", detail);
}

core::Result<void> RedisConnection::Append(const Command& command) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(command.size());
  lengths.reserve(command.size());
  for (const auto& arg : command) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  if (redisAppendCommandArgv(context_->c, static_cast<int>(argv.size()), argv.data(), lengths.data()) != REDIS_OK) {
    return Broken("append");
  }
  return core::Ok{};
}

core::Result<void> RedisConnection::Flush() {
  int done = 0;
  while (done == 0) {
    if (redisBufferWrite(context_->c, &done) != REDIS_OK) return Broken("write");
  }
  return core::Ok{};
}

core::Result<RedisValue> RedisConnection::ReadOne() {
  void* raw = nullptr;
  if (redisGetReply(context_->c, &raw) != REDIS_OK || raw == nullptr) return Broken("read");
  ReplyPtr reply(static_cast<redisReply*>(raw));
  return Convert(*reply);
}

core::Result<std::vector<RedisValue>> RedisConnection::Pipeline(const std::vector<Command>& commands) {
  for (const auto& command : commands) {
    if (auto appended = Append(command); !appended) return appended.error();
  }
  if (auto flushed = Flush(); !flushed) return flushed.error();
  std::vector<RedisValue> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    auto reply = ReadOne();
    if (!reply) return reply.error();
    replies.push_back(std::move(*reply));
  }
  return replies;
}

core::Result<RedisValue> RedisConnection::Run(const Command& command) {
  auto replies = Pipeline({command});
  if (!replies) return replies.error();
  return std::move(replies->front());
}

core::Result<void> RedisConnection::Send(const Command& command) {
  if (auto appended = Append(command); !appended) return appended.error();
  return Flush();
}

core::Result<void> RedisConnection::Fill() {
  if (redisBufferRead(context_->c) != REDIS_OK) return Broken("read");
  return core::Ok{};
}

core::Result<std::optional<RedisValue>> RedisConnection::Next() {
  void* raw = nullptr;
  if (redisGetReplyFromReader(context_->c, &raw) != REDIS_OK) return Broken("parse");
  if (raw == nullptr) return std::optional<RedisValue>{};
  ReplyPtr reply(static_cast<redisReply*>(raw));
  return std::optional<RedisValue>{Convert(*reply)};
}

}  // namespace atrium::storage::redis
