// A light Socket.IO load client for the broadcast benchmark: one thread, epoll, many
// WebSocket-transport sockets to one server on 127.0.0.1. It speaks just enough of the
// protocols to be a real client of any Engine.IO v4 / Socket.IO v5 server (the upgrade
// handshake, the open packet, CONNECT to the main namespace, pong for every ping) and
// then only counts the event frames it is told to expect, comparing each one byte for
// byte, so that the server, not the client, is what the benchmark measures.
//
//   sio_load <port> <path> <count> <messages> <trigger 0|1> [burst|paced|room]
//     connects <count> sockets, prints "connected <ok> <failed>", waits for "go" on
//     stdin; with trigger 1 the first socket emits ["broadcast", <messages>, payload]
//     with an ack (burst, the default), or, paced, ["broadcast", 1, payload] <messages>
//     times, each once every socket got the one before (so no two broadcasts can share
//     a write; needs every socket in this one process). Once every socket got
//     <messages> ticks, or was lost (closed by the server, or failed) meanwhile, prints
//     "received <n> <ms since go> <lost>", preceded by "unexpected <n>" if any tick
//     frame did not match. Holds the sockets until stdin closes.
//     room: every socket also joins the room "bench" (["join", "bench"] with an ack; it
//     counts as connected once acked), and the trigger emits ["publish", "bench", "tick",
//     payload] <messages> times at once: the room's sockets may sit on several servers
//     that share their rooms (a cluster over a pub/sub server), so several sio_load
//     processes, one per server, together receive what one of them asked for.
//
// Built by bench/socketio/socketio_bench.py (g++ -O2); not part of the server.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view kPayload =
    R"({"text":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","n":1})";

enum class State { kConnecting, kHandshake, kOpen, kConnected, kFailed };

struct Client {
  int fd = -1;
  State state = State::kConnecting;
  std::string in;   // bytes read and not yet parsed
  std::string out;  // bytes still to write
  std::uint64_t ticks = 0;
  bool watching_out = true;  // EPOLLOUT asked for
};

struct Load {
  int epoll = -1;
  std::uint16_t port = 0;
  std::string path;
  std::size_t count = 0;
  std::uint64_t messages = 0;
  bool trigger = false;
  bool paced = false;
  bool room = false;
  std::uint64_t rounds = 0;  // paced: broadcasts asked for so far
  std::size_t trigger_index = 0;
  std::vector<Client> clients;
  std::size_t connected = 0, failed = 0, opened = 0, in_flight = 0;
  std::uint64_t received = 0, unexpected = 0, lost = 0;
  std::size_t at_go = 0, complete = 0;  // sockets connected at "go"; those that got every tick
  bool reported_connected = false, reported_received = false, going = false;
  std::chrono::steady_clock::time_point started;
  std::string tick_frame;  // the exact text of a tick event
};

// A client frame: FIN, the opcode, the mask bit with a zero key (payload unchanged).
void AppendFrame(std::string& out, std::uint8_t opcode, std::string_view text) {
  out.push_back(static_cast<char>(0x80 | opcode));
  if (text.size() < 126) {
    out.push_back(static_cast<char>(0x80 | text.size()));
  } else if (text.size() < 65536) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(text.size() >> 8));
    out.push_back(static_cast<char>(text.size() & 0xff));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((text.size() >> (8 * i)) & 0xff));
  }
  out.append(4, '\0');
  out.append(text);
}

void Watch(Load& load, std::size_t index, bool writable) {
  if (load.clients[index].watching_out == writable) return;
  load.clients[index].watching_out = writable;
  epoll_event ev{};
  ev.events = EPOLLIN | (writable ? EPOLLOUT : 0u);
  ev.data.u64 = index;
  epoll_ctl(load.epoll, EPOLL_CTL_MOD, load.clients[index].fd, &ev);
}

void Fail(Load& load, Client& c) {
  if (c.state == State::kFailed) return;
  if (c.state != State::kConnected) {
    ++load.failed;
    if (load.in_flight) --load.in_flight;
  } else {
    --load.connected;
    if (load.going && c.ticks < load.messages) ++load.lost;
  }
  c.state = State::kFailed;
  if (c.fd >= 0) close(c.fd);
  c.fd = -1;
}

void Flush(Load& load, std::size_t index) {
  Client& c = load.clients[index];
  while (!c.out.empty()) {
    const ssize_t n = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN) break;
      Fail(load, c);
      return;
    }
    c.out.erase(0, static_cast<std::size_t>(n));
  }
  Watch(load, index, !c.out.empty() || c.state == State::kConnecting);
}

void OpenNext(Load& load) {
  while (load.opened < load.count && load.in_flight < 64) {
    const std::size_t index = load.opened++;
    Client& c = load.clients[index];
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(load.port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ++load.in_flight;
    if (connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 && errno != EINPROGRESS) {
      Fail(load, c);
      continue;
    }
    c.out = "GET " + load.path + "?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(load.port) +
            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n";
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.u64 = index;
    epoll_ctl(load.epoll, EPOLL_CTL_ADD, c.fd, &ev);
  }
}

void AskForBroadcast(Load& load, std::uint64_t count) {
  Client& c = load.clients[load.trigger_index];
  if (c.state != State::kConnected) return;
  if (load.room) {
    const std::string publish = "42[\"publish\",\"bench\",\"tick\"," + std::string(kPayload) + "]";
    for (std::uint64_t i = 0; i < count; ++i) AppendFrame(c.out, 0x1, publish);
  } else {
    AppendFrame(c.out, 0x1, "421[\"broadcast\"," + std::to_string(count) + "," + std::string(kPayload) + "]");
  }
  Flush(load, load.trigger_index);
}

void ReportProgress(Load& load) {
  if (load.going && load.paced && load.trigger && load.rounds < load.messages && load.lost == 0 &&
      load.received >= load.rounds * load.at_go) {
    ++load.rounds;
    AskForBroadcast(load, 1);
  }
  if (!load.reported_connected && load.connected + load.failed == load.count) {
    load.reported_connected = true;
    std::printf("connected %zu %zu\n", load.connected, load.failed);
    std::fflush(stdout);
  }
  if (load.going && !load.reported_received && load.complete + load.lost >= load.at_go) {
    load.reported_received = true;
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - load.started).count();
    if (load.unexpected) std::printf("unexpected %llu\n", static_cast<unsigned long long>(load.unexpected));
    std::printf("received %llu %lld %llu\n", static_cast<unsigned long long>(load.received), static_cast<long long>(ms),
                static_cast<unsigned long long>(load.lost));
    std::fflush(stdout);
  }
}

// One Engine.IO packet (a text frame's payload).
void OnPacket(Load& load, std::size_t index, std::string_view text) {
  Client& c = load.clients[index];
  if (text.empty()) return;
  switch (text[0]) {
    case '0':  // open: join the main namespace
      if (c.state == State::kOpen) AppendFrame(c.out, 0x1, "40");
      return;
    case '2':  // ping
      AppendFrame(c.out, 0x1, "3");
      return;
    case '1':  // close
      Fail(load, c);
      return;
    case '4':
      break;
    default:
      return;
  }
  if (text.size() >= 2 && text[1] == '0' && c.state == State::kOpen) {
    if (load.room) {  // connected once the room is joined (ack 7)
      AppendFrame(c.out, 0x1, "427[\"join\",\"bench\"]");
      return;
    }
    c.state = State::kConnected;
    ++load.connected;
    --load.in_flight;
    return;
  }
  if (load.room && text.starts_with("437[") && c.state == State::kOpen) {
    c.state = State::kConnected;
    ++load.connected;
    --load.in_flight;
    return;
  }
  if (text.size() >= 2 && text[1] == '4' && c.state == State::kOpen) {  // CONNECT_ERROR
    Fail(load, c);
    return;
  }
  if (text.starts_with("42[\"tick\"")) {
    if (text == load.tick_frame) {
      if (++c.ticks == load.messages) ++load.complete;
      ++load.received;
    } else {
      ++load.unexpected;
    }
  }
}

// Parses complete server frames (unmasked) out of c.in.
void Parse(Load& load, std::size_t index) {
  Client& c = load.clients[index];
  std::size_t pos = 0;
  for (;;) {
    if (c.state == State::kFailed) return;
    const std::size_t avail = c.in.size() - pos;
    if (avail < 2) break;
    const auto* p = reinterpret_cast<const unsigned char*>(c.in.data() + pos);
    const std::uint8_t opcode = p[0] & 0x0f;
    std::uint64_t len = p[1] & 0x7f;
    std::size_t header = 2;
    if (len == 126) {
      if (avail < 4) break;
      len = (std::uint64_t{p[2]} << 8) | p[3];
      header = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
      header = 10;
    }
    if (p[1] & 0x80) header += 4;  // a masked server frame is a protocol error; skip the key
    if (avail < header + len) break;
    const std::string_view payload(c.in.data() + pos + header, len);
    pos += header + len;
    if (opcode == 0x1) {
      OnPacket(load, index, payload);
    } else if (opcode == 0x9) {
      std::string pong;
      AppendFrame(pong, 0xA, payload);
      c.out += pong;
    } else if (opcode == 0x8) {
      Fail(load, c);
      return;
    }
  }
  c.in.erase(0, pos);
}

void OnReadable(Load& load, std::size_t index) {
  Client& c = load.clients[index];
  char buf[65536];
  for (;;) {
    const ssize_t n = recv(c.fd, buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN)) {
      Fail(load, c);
      return;
    }
    if (n < 0) break;
    c.in.append(buf, static_cast<std::size_t>(n));
    if (static_cast<std::size_t>(n) < sizeof buf) break;
  }
  if (c.state == State::kHandshake) {
    const auto end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) return;
    if (!c.in.starts_with("HTTP/1.1 101")) {
      Fail(load, c);
      return;
    }
    c.in.erase(0, end + 4);
    c.state = State::kOpen;
  }
  Parse(load, index);
}

void OnStdin(Load& load) {
  char buf[256];
  const ssize_t n = read(0, buf, sizeof buf);
  if (n <= 0) std::exit(0);  // stdin closed: done
  if (std::string_view(buf, static_cast<std::size_t>(n)).find("go") == std::string_view::npos) return;
  load.going = true;
  load.at_go = load.connected;
  load.started = std::chrono::steady_clock::now();
  if (load.trigger) {
    while (load.trigger_index < load.clients.size() && load.clients[load.trigger_index].state != State::kConnected)
      ++load.trigger_index;
    if (load.trigger_index == load.clients.size()) return;
    if (!load.paced) AskForBroadcast(load, load.messages);
  }
  ReportProgress(load);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6 && argc != 7) {
    std::fprintf(stderr, "usage: sio_load <port> <path> <count> <messages> <trigger 0|1> [burst|paced|room]\n");
    return 2;
  }
  Load load;
  load.port = static_cast<std::uint16_t>(std::atoi(argv[1]));
  load.path = argv[2];
  load.count = std::strtoul(argv[3], nullptr, 10);
  load.messages = std::strtoull(argv[4], nullptr, 10);
  load.trigger = std::string_view(argv[5]) == "1";
  load.paced = argc == 7 && std::string_view(argv[6]) == "paced";
  load.room = argc == 7 && std::string_view(argv[6]) == "room";
  load.tick_frame = "42[\"tick\"," + std::string(kPayload) + "]";
  load.clients.resize(load.count);
  load.epoll = epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = UINT64_MAX;
  epoll_ctl(load.epoll, EPOLL_CTL_ADD, 0, &ev);

  OpenNext(load);
  std::vector<epoll_event> events(1024);
  for (;;) {
    const int n = epoll_wait(load.epoll, events.data(), static_cast<int>(events.size()), 1000);
    for (int i = 0; i < n; ++i) {
      const std::uint64_t index = events[i].data.u64;
      if (index == UINT64_MAX) {
        OnStdin(load);
        continue;
      }
      Client& c = load.clients[index];
      if (c.state == State::kFailed) continue;
      if (c.state == State::kConnecting) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
          Fail(load, c);
          continue;
        }
        c.state = State::kHandshake;
      }
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) OnReadable(load, index);
      if (c.state != State::kFailed) Flush(load, index);
    }
    OpenNext(load);
    ReportProgress(load);
  }
}
