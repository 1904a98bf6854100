#include "http/socketio/client.hpp"

#include <array>
#include <boost/json.hpp>
#include <mutex>
#include <set>

#include "http/socketio/engineio_packet.hpp"
#include "http/socketio/shared.hpp"
#include "http/socketio/socket_impl.hpp"
#include "http/socketio/socketio_packet.hpp"

namespace atrium::http::socketio {

namespace json = boost::json;

namespace {

std::string EncodeConnectError(std::string_view nsp, const Refusal& refusal) {
  Packet packet;
  packet.type = PacketType::kConnectError;
  packet.nsp = std::string(nsp);
  json::object body{{"message", refusal.message}};
  if (refusal.data) body["data"] = *refusal.data;
  packet.data = std::move(body);
  return EncodePacket(packet);
}

std::string EventName(const json::value& first) {
  if (first.is_string()) return std::string(first.as_string());
  return json::serialize(first);
}

class ClientState : public std::enable_shared_from_this<ClientState> {
 public:
  ClientState(std::shared_ptr<Server::Shared> server, std::shared_ptr<const Handshake> base)
      : server_(std::move(server)), base_(std::move(base)), decoder_(server_->options.max_attachments) {}

  void Open(std::shared_ptr<engineio::Connection> connection) {
    connection_ = std::move(connection);
    connection_->After(server_->options.connect_timeout, [weak = weak_from_this()] {
      auto self = weak.lock();
      if (!self) return;
      std::lock_guard lock(self->mu_);
      if (!self->ever_connected_) self->connection_->Close();
    });
  }

  void OnText(std::string_view text) { Handle(decoder_.OnText(text)); }
  void OnBinary(std::string_view bytes) { Handle(decoder_.OnBinary(bytes)); }

  void Close(std::string_view reason) {
    std::map<std::string, std::shared_ptr<SocketImpl>> sockets;
    {
      std::lock_guard lock(mu_);
      closed_ = true;
      sockets.swap(sockets_);
    }
    for (auto& [nsp, socket] : sockets) socket->Detach(reason);
  }

 private:
  void Handle(Decoder::Outcome outcome) {
    if (std::holds_alternative<Decoder::Waiting>(outcome)) return;
    if (std::holds_alternative<ParseError>(outcome)) {
      connection_->Close();  // a malformed packet ends the session, as the reference does
      return;
    }
    Dispatch(std::move(std::get<Packet>(outcome)));
  }

  std::shared_ptr<SocketImpl> Live(const std::string& nsp) {
    std::lock_guard lock(mu_);
    auto it = sockets_.find(nsp);
    if (it == sockets_.end()) return nullptr;
    if (!it->second->connected()) {
      sockets_.erase(it);  // the server disconnected it
      return nullptr;
    }
    return it->second;
  }

  void Dispatch(Packet packet) {
    switch (packet.type) {
      case PacketType::kConnect:
        Connect(std::move(packet));
        return;
      case PacketType::kDisconnect: {
        std::shared_ptr<SocketImpl> socket;
        {
          std::lock_guard lock(mu_);
          if (auto it = sockets_.find(packet.nsp); it != sockets_.end()) {
            socket = std::move(it->second);
            sockets_.erase(it);
          }
        }
        if (socket) socket->Detach("client namespace disconnect");
        return;
      }
      case PacketType::kEvent:
      case PacketType::kBinaryEvent:
        Event(std::move(packet));
        return;
      case PacketType::kAck:
      case PacketType::kBinaryAck: {
        auto socket = Live(packet.nsp);
        if (!socket || !packet.id) return;
        socket->OnAck(*packet.id, {std::move(packet.data->as_array()), std::move(packet.buffers)});
        return;
      }
      case PacketType::kConnectError:
        connection_->Close();  // only servers send it
        return;
    }
  }

  void Connect(Packet packet) {
    auto ns = server_->Find(packet.nsp);
    if (!ns) {
      connection_->SendText(EncodeConnectError(packet.nsp, {"Invalid namespace", std::nullopt}));
      return;
    }
    {
      std::lock_guard lock(mu_);
      if (closed_ || connecting_.contains(packet.nsp)) return;
      if (auto it = sockets_.find(packet.nsp); it != sockets_.end() && it->second->connected()) return;
      connecting_.insert(packet.nsp);
    }
    auto handshake = std::make_shared<Handshake>(*base_);
    handshake->nsp = packet.nsp;
    if (packet.data) handshake->auth = std::move(packet.data->as_object());
    if (!ns->handlers().authenticate) {
      Complete(ns, std::move(handshake), Identity{});
      return;
    }
    auto task = [self = shared_from_this(), ns, handshake]() mutable {
      AuthResult result = ns->handlers().authenticate(*handshake);
      self->Complete(ns, std::move(handshake), std::move(result));
    };
    if (!connection_->RunBlocking(std::move(task))) {
      Complete(ns, std::move(handshake), Refusal{"Server is busy, retry later", std::nullopt});
    }
  }

  // On an I/O or a worker thread.
  void Complete(const std::shared_ptr<NamespaceState>& ns, std::shared_ptr<const Handshake> handshake,
                AuthResult result) {
    if (auto* refusal = std::get_if<Refusal>(&result)) {
      {
        std::lock_guard lock(mu_);
        connecting_.erase(ns->name());
        if (closed_) return;
      }
      connection_->SendText(EncodeConnectError(ns->name(), *refusal));
      return;
    }
    auto socket =
        std::make_shared<SocketImpl>(RandomId(server_->random), ns, connection_, std::move(std::get<Identity>(result)),
                                     std::move(handshake), server_->options.max_pending_acks);
    {
      std::lock_guard lock(mu_);
      connecting_.erase(ns->name());
      if (closed_) return;
      sockets_[ns->name()] = socket;
      ever_connected_ = true;
    }
    ns->Add(socket);
    Packet answer;
    answer.type = PacketType::kConnect;
    answer.nsp = ns->name();
    answer.data = json::object{{"sid", socket->id()}};
    connection_->SendText(EncodePacket(answer));
    bool closed = false;
    {
      std::lock_guard lock(mu_);
      closed = closed_;
    }
    if (closed) {
      socket->Detach("transport close");  // the session ended while we were connecting
      return;
    }
    socket->WatchSession(server_->events);
    if (ns->handlers().on_connect) ns->handlers().on_connect(*socket);
  }

  void Event(Packet packet) {
    auto socket = Live(packet.nsp);
    if (!socket) return;                  // not connected to that namespace: ignored, as the reference does
    if (socket->session_ended()) return;  // revoked or expired; its DISCONNECT is on its way
    json::array args = std::move(packet.data->as_array());
    const std::string name = EventName(args.front());
    args.erase(args.begin());
    const auto& handlers = socket->ns().handlers();
    const EventHandler* handler = nullptr;
    if (auto it = handlers.events.find(name); it != handlers.events.end()) {
      handler = &it->second;
    } else if (handlers.fallback) {
      handler = &handlers.fallback;
    }
    if (handler == nullptr) return;
    Ack ack;
    if (packet.id) {
      ack = [socket, id = *packet.id, done = std::make_shared<std::atomic<bool>>(false)](Message reply) {
        if (done->exchange(true)) return;
        socket->SendRaw(EncodeAck(socket->nsp(), id, reply));
      };
    }
    Message message{std::move(args), std::move(packet.buffers)};
    (*handler)(*socket, std::move(message), std::move(ack));
  }

  std::shared_ptr<Server::Shared> server_;
  std::shared_ptr<const Handshake> base_;
  std::shared_ptr<engineio::Connection> connection_;
  Decoder decoder_;  // touched only by the (serialised) handler calls

  std::mutex mu_;
  std::map<std::string, std::shared_ptr<SocketImpl>> sockets_;
  std::set<std::string> connecting_;
  bool closed_ = false;
  bool ever_connected_ = false;
};

class Client final : public engineio::Handler {
 public:
  explicit Client(std::shared_ptr<ClientState> state) : state_(std::move(state)) {}
  void OnOpen(std::shared_ptr<engineio::Connection> connection) override { state_->Open(std::move(connection)); }
  void OnText(std::string_view text) override { state_->OnText(text); }
  void OnBinary(std::string_view bytes) override { state_->OnBinary(bytes); }
  void OnClose(std::string_view reason) override { state_->Close(reason); }

 private:
  std::shared_ptr<ClientState> state_;
};

}  // namespace

std::string RandomId(core::Random& random) {
  std::array<std::uint8_t, 15> bytes{};
  random.Fill(bytes.data(), bytes.size());
  std::string id = engineio::Base64Encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  for (char& c : id) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return id;
}

std::unique_ptr<engineio::Handler> MakeClient(std::shared_ptr<Server::Shared> server, const Request& request) {
  auto base = std::make_shared<Handshake>();
  base->query = request.query;
  // Only the headers a namespace may want to look at, not the whole upgrade request:
  // they stay with every socket for as long as it lives.
  for (const char* name : {"authorization", "cookie", "origin", "user-agent", "x-forwarded-for"}) {
    if (auto value = request.headers.Get(name)) base->headers.Add(name, *value);
  }
  base->client_address = request.client_address;
  return std::make_unique<Client>(std::make_shared<ClientState>(std::move(server), std::move(base)));
}

}  // namespace atrium::http::socketio
