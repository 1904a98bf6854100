// The Socket.IO server over a fake Engine.IO connection: what a client sends, what it
// gets back, rooms, acks, authentication and the bus relay.

#include "http/socketio/server.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <mutex>

#include "core/events/in_process_event_bus.hpp"
#include "support/fakes.hpp"

namespace atrium::http::socketio {
namespace {

namespace json = boost::json;

class FakeConnection final : public engineio::Connection {
 public:
  const std::string& sid() const override { return sid_; }
  bool SendText(std::string text) override { return SendBatch({{std::move(text), false}}); }
  bool SendBinary(std::string bytes) override { return SendBatch({{std::move(bytes), true}}); }
  bool SendBatch(std::vector<std::pair<std::string, bool>> messages) override {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    for (auto& m : messages) sent_.push_back(m.second ? "<bin:" + m.first + ">" : m.first);
    return true;
  }
  void Close() override {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  bool closed() const override {
    std::lock_guard lock(mu_);
    return closed_;
  }
  bool RunBlocking(std::function<void()> task) override {
    if (busy_) return false;
    task();
    return true;
  }
  void After(std::chrono::milliseconds, std::function<void()> callback) override {
    timers_.push_back(std::move(callback));
  }

  std::vector<std::string> Take() {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    out.swap(sent_);
    return out;
  }
  void FireTimers() {
    for (auto& t : timers_) t();
  }
  bool busy_ = false;

 private:
  std::string sid_ = "engine-sid";
  mutable std::mutex mu_;
  std::vector<std::string> sent_;
  bool closed_ = false;
  std::vector<std::function<void()>> timers_;
};

class SocketIoServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(ServerOptions{}, random_, bus_);
    NamespaceHandlers main;
    main.authenticate = [](const Handshake& h) -> AuthResult {
      const auto* token = h.auth.if_contains("token");
      if (token == nullptr || !token->is_string() || token->as_string() != "good") {
        return Refusal{"Invalid token", json::object{{"code", "AUTH"}}};
      }
      return Identity{"user-1", {}};
    };
    main.on_connect = [this](Socket& s) {
      last_socket_id_ = s.id();
      s.Emit("welcome", {json::array{s.identity().user_id}, {}});
    };
    main.events["echo"] = [](Socket& s, Message m, Ack ack) {
      if (ack) {
        ack(std::move(m));
      } else {
        s.Emit("echo", std::move(m));
      }
    };
    main.events["join"] = [](Socket& s, Message m, Ack) { s.Join(std::string(m.args[0].as_string())); };
    main.events["bye"] = [](Socket& s, Message, Ack) { s.Disconnect(); };
    main.on_disconnect = [this](Socket&, std::string_view reason) { reasons_.emplace_back(reason); };
    main.relay = [](const core::events::Event& e) -> std::optional<RelayedEvent> {
      const auto* opaque = e.As<core::events::OpaqueJson>();
      if (opaque == nullptr || opaque->type != "relayed") return std::nullopt;
      return RelayedEvent{"relayed", {json::array{json::parse(opaque->json)}, {}}};
    };
    server_->AddNamespace("/", std::move(main));
    server_->AddNamespace("/open", {});
    route_ = server_->MakeRoute();
  }

  // Sessions end as the transport ends them, which releases their sockets.
  void TearDown() override {
    for (auto* h : open_) h->OnClose("transport close");
  }

  // A new client session: its handler and connection.
  std::pair<std::shared_ptr<engineio::Handler>, std::shared_ptr<FakeConnection>> Open() {
    Request handshake;
    handshake.query = "EIO=4&transport=websocket";
    std::shared_ptr<engineio::Handler> handler = route_.accept(handshake);
    auto connection = std::make_shared<FakeConnection>();
    handler->OnOpen(connection);
    handlers_.push_back(handler);
    open_.push_back(handler.get());
    return {handler, connection};
  }

  std::vector<std::shared_ptr<engineio::Handler>> handlers_;
  std::vector<engineio::Handler*> open_;

  std::string ConnectAnswer(const std::string& nsp_prefix) {
    return nsp_prefix + "{\"sid\":\"" + last_socket_id_ + "\"}";
  }

  atrium::testing::FakeRandom random_;
  core::events::InProcessEventBus bus_;
  std::unique_ptr<Server> server_;
  engineio::Route route_;
  std::string last_socket_id_;
  std::vector<std::string> reasons_;
};

TEST_F(SocketIoServerTest, ConnectWithAValidTokenAnswersTheSidThenRunsOnConnect) {
  auto [handler, conn] = Open();
  handler->OnText("0{\"token\":\"good\"}");
  EXPECT_EQ(conn->Take(), (std::vector<std::string>{ConnectAnswer("0"), "2[\"welcome\",\"user-1\"]"}));
  EXPECT_EQ(last_socket_id_.size(), 20u);
  EXPECT_EQ(server_->socket_count("/"), 1u);
}

TEST_F(SocketIoServerTest, ConnectWithABadTokenGetsConnectError) {
  auto [handler, conn] = Open();
  handler->OnText("0{\"token\":\"bad\"}");
  EXPECT_EQ(conn->Take(), (std::vector<std::string>{"4{\"message\":\"Invalid token\",\"data\":{\"code\":\"AUTH\"}}"}));
  handler->OnText("0");
  EXPECT_EQ(conn->Take(), (std::vector<std::string>{"4{\"message\":\"Invalid token\",\"data\":{\"code\":\"AUTH\"}}"}));
  EXPECT_EQ(server_->socket_count("/"), 0u);
}

TEST_F(SocketIoServerTest, BusyPoolRefusesConnect) {
  auto [handler, conn] = Open();
  conn->busy_ = true;
  handler->OnText("0{\"token\":\"good\"}");
  EXPECT_EQ(conn->Take(), (std::vector<std::string>{"4{\"message\":\"Server is busy, retry later\"}"}));
}

TEST_F(SocketIoServerTest, UnknownNamespaceIsRefused) {
  auto [handler, conn] = Open();
  handler->OnText("0/random");
  EXPECT_EQ(conn->Take(), (std::vector<std::string>{"4/random,{\"message\":\"Invalid namespace\"}"}));
}

TEST_F(SocketIoServerTest, EventsBeforeConnectAreIgnored) {
  auto [handler, conn] = Open();
  handler->OnText("2[\"echo\",1]");
  EXPECT_TRUE(conn->Take().empty());
  EXPECT_FALSE(conn->closed());
}

TEST_F(SocketIoServerTest, EventWithAckIsAnsweredOnce) {
  auto [handler, conn] = Open();
  handler->OnText("0/open,");
  conn->Take();
  handler->OnText("2/open,12[\"x\"]");  // no handler in /open: ignored
  EXPECT_TRUE(conn->Take().empty());
  handler->OnText("0{\"token\":\"good\"}");
  conn->Take();
  handler->OnText("213[\"echo\",1,\"2\",{\"3\":[true]}]");
  EXPECT_EQ(conn->Take(), (std::vector<std::string>{"313[1,\"2\",{\"3\":[true]}]"}));
  handler->OnText("2[\"echo\",\"no ack\"]");
  EXPECT_EQ(conn->Take(), (std::vector<std::string>{"2[\"echo\",\"no ack\"]"}));
}

TEST_F(SocketIoServerTest, BinaryEventsKeepPlaceholdersAndAttachments) {
  auto [handler, conn] = Open();
  handler->OnText("0{\"token\":\"good\"}");
  conn->Take();
  handler->OnText("52-9[\"echo\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
  handler->OnBinary("ab");
  EXPECT_TRUE(conn->Take().empty());
  handler->OnBinary("cd");
  EXPECT_EQ(conn->Take(),
            (std::vector<std::string>{"62-9[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
                                      "<bin:ab>", "<bin:cd>"}));
}

TEST_F(SocketIoServerTest, MalformedPacketClosesTheSession) {
  auto [handler, conn] = Open();
  handler->OnText("0{\"token\":\"good\"}");
  handler->OnText("2{}");
  EXPECT_TRUE(conn->closed());
}

TEST_F(SocketIoServerTest, TooManyAttachmentsClosesTheSession) {
  auto [handler, conn] = Open();
  handler->OnText("0{\"token\":\"good\"}");
  handler->OnText("511-[\"echo\"]");
  EXPECT_TRUE(conn->closed());
}

TEST_F(SocketIoServerTest, RoomsReceiveEmitsAndForgetLeavers) {
  auto [h1, c1] = Open();
  auto [h2, c2] = Open();
  h1->OnText("0{\"token\":\"good\"}");
  h2->OnText("0{\"token\":\"good\"}");
  h1->OnText("2[\"join\",\"r\"]");
  c1->Take();
  c2->Take();
  EXPECT_EQ(server_->EmitToRoom("/", "r", "news", {json::array{1}, {}}), 1u);
  EXPECT_EQ(c1->Take(), (std::vector<std::string>{"2[\"news\",1]"}));
  EXPECT_TRUE(c2->Take().empty());
  EXPECT_EQ(server_->EmitToAll("/", "all", {json::array{}, {}}), 2u);
  h1->OnText("1");  // the client leaves the namespace
  EXPECT_EQ(reasons_, (std::vector<std::string>{"client namespace disconnect"}));
  EXPECT_EQ(server_->EmitToRoom("/", "r", "news", {json::array{2}, {}}), 0u);
}

TEST_F(SocketIoServerTest, RelayedBusTopicsReachTheRoom) {
  auto [handler, conn] = Open();
  handler->OnText("0{\"token\":\"good\"}");
  handler->OnText("2[\"join\",\"broadcast:x\"]");
  conn->Take();
  ASSERT_TRUE(bus_.Publish({{"broadcast:x"}, core::events::OpaqueJson{"relayed", "{\"n\":1}"}}));
  ASSERT_TRUE(bus_.Publish({{"broadcast:x"}, core::events::OpaqueJson{"ignored", "{}"}}));
  EXPECT_EQ(conn->Take(), (std::vector<std::string>{"2[\"relayed\",{\"n\":1}]"}));
  EXPECT_EQ(bus_.subscriber_count("broadcast:x"), 1u);
  handler->OnClose("transport close");
  EXPECT_EQ(bus_.subscriber_count("broadcast:x"), 0u);
  EXPECT_EQ(reasons_, (std::vector<std::string>{"transport close"}));
}

TEST_F(SocketIoServerTest, ServerDisconnectSendsDisconnectAndAllowsReconnect) {
  auto [handler, conn] = Open();
  handler->OnText("0{\"token\":\"good\"}");
  conn->Take();
  handler->OnText("2[\"bye\"]");
  EXPECT_EQ(conn->Take(), (std::vector<std::string>{"1"}));
  EXPECT_EQ(reasons_, (std::vector<std::string>{"server namespace disconnect"}));
  handler->OnText("0{\"token\":\"good\"}");
  EXPECT_EQ(conn->Take().size(), 2u);
}

TEST_F(SocketIoServerTest, ConnectTimeoutClosesOnlyWithoutANamespace) {
  auto [h1, c1] = Open();
  c1->FireTimers();
  EXPECT_TRUE(c1->closed());
  auto [h2, c2] = Open();
  h2->OnText("0/open,");
  c2->FireTimers();
  EXPECT_FALSE(c2->closed());
}

TEST_F(SocketIoServerTest, EmitWithAckGetsTheClientsAnswerOrNothingOnDisconnect) {
  Socket* socket = nullptr;
  server_ = std::make_unique<Server>(ServerOptions{}, random_, bus_);
  NamespaceHandlers ns;
  ns.on_connect = [&socket](Socket& s) { socket = &s; };
  server_->AddNamespace("/", std::move(ns));
  route_ = server_->MakeRoute();
  auto [handler, conn] = Open();
  handler->OnText("0");
  conn->Take();
  ASSERT_NE(socket, nullptr);
  std::vector<std::string> replies;
  ASSERT_TRUE(socket->EmitWithAck("q", {json::array{1}, {}}, [&](std::optional<Message> m) {
    replies.push_back(m ? json::serialize(m->args) : "none");
  }));
  ASSERT_TRUE(socket->EmitWithAck("q", {json::array{2}, {}}, [&](std::optional<Message> m) {
    replies.push_back(m ? json::serialize(m->args) : "none");
  }));
  EXPECT_EQ(conn->Take(), (std::vector<std::string>{"20[\"q\",1]", "21[\"q\",2]"}));
  handler->OnText("30[\"a\"]");
  handler->OnText("30[\"again\"]");  // answered already: ignored
  handler->OnClose("transport close");
  EXPECT_EQ(replies, (std::vector<std::string>{"[\"a\"]", "none"}));
}

}  // namespace
}  // namespace atrium::http::socketio
