#include "transport/mail/imap_response.hpp"

#include <memory>
#include <optional>

#include "transport/mail/encoded_words.hpp"

namespace atrium::transport::mail {

namespace {

// An IMAP value: NIL, an atom/number, a string, or a parenthesised list.
struct Node {
  enum class Kind { kNil, kAtom, kString, kList } kind = Kind::kNil;
  std::string text;
  std::vector<Node> items;
};

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  bool AtEnd() const { return i_ >= s_.size(); }
  void Spaces() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }

  // One value; nullopt on malformed input. `depth` bounds nesting.
  std::optional<Node> Value(int depth = 0) {
    if (depth > 16) return std::nullopt;
    Spaces();
    if (AtEnd()) return std::nullopt;
    Node n;
    const char c = s_[i_];
    if (c == '(') {
      ++i_;
      n.kind = Node::Kind::kList;
      while (true) {
        Spaces();
        if (AtEnd()) return std::nullopt;
        if (s_[i_] == ')') {
          ++i_;
          return n;
        }
        auto item = Value(depth + 1);
        if (!item) return std::nullopt;
        n.items.push_back(std::move(*item));
      }
    }
    if (c == '"') {
      ++i_;
      n.kind = Node::Kind::kString;
      while (i_ < s_.size() && s_[i_] != '"') {
        if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
        n.text += s_[i_++];
      }
      if (AtEnd()) return std::nullopt;
      ++i_;
      return n;
    }
    if (c == '{') {  // a literal whose bytes curl does not pass on: an empty string
      while (i_ < s_.size() && s_[i_] != '}') ++i_;
      if (AtEnd()) return std::nullopt;
      ++i_;
      n.kind = Node::Kind::kString;
      return n;
    }
    if (c == ')') return std::nullopt;
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ' ' && s_[i_] != '(' && s_[i_] != ')' && s_[i_] != '"') {
      if (s_[i_] == '[') {  // BODY[HEADER.FIELDS (A B)] is one atom
        while (i_ < s_.size() && s_[i_] != ']') ++i_;
        if (AtEnd()) return std::nullopt;
      }
      ++i_;
    }
    n.text = std::string(s_.substr(start, i_ - start));
    n.kind = n.text == "NIL" ? Node::Kind::kNil : Node::Kind::kAtom;
    return n;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

std::string Text(const Node& n) { return n.kind == Node::Kind::kString || n.kind == Node::Kind::kAtom ? n.text : ""; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// "Bob <bob@example.com>" from an address list ((name adl mailbox host) ...).
std::string Address(const Node& list) {
  if (list.kind != Node::Kind::kList || list.items.empty()) return "";
  const Node& a = list.items.front();
  if (a.kind != Node::Kind::kList || a.items.size() < 4) return "";
  const std::string name = DecodeEncodedWords(Text(a.items[0]));
  const std::string mailbox = Text(a.items[2]);
  const std::string host = Text(a.items[3]);
  const std::string email = host.empty() ? mailbox : mailbox + "@" + host;
  if (name.empty()) return email;
  return name + " <" + email + ">";
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

}  // namespace

std::vector<long> ParseSearch(std::string_view text) {
  std::vector<long> out;
  for (auto line : Lines(text)) {
    if (line.size() < 8 || !EqualsIgnoreCase(line.substr(0, 8), "* SEARCH")) continue;
    long n = -1;
    for (std::size_t i = 8; i <= line.size(); ++i) {
      const char c = i < line.size() ? line[i] : ' ';
      if (c >= '0' && c <= '9') {
        n = (n < 0 ? 0 : n) * 10 + (c - '0');
        if (n > 1000000000L) n = 1000000000L;
      } else {
        if (n > 0) out.push_back(n);
        n = -1;
      }
    }
  }
  return out;
}

std::vector<FetchedMessage> ParseFetch(std::string_view text) {
  std::vector<FetchedMessage> out;
  for (auto line : Lines(text)) {
    if (line.size() < 4 || line.substr(0, 2) != "* ") continue;
    std::size_t i = 2;
    long seq = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9' && seq < 1000000000L) seq = seq * 10 + (line[i++] - '0');
    if (seq == 0 || line.substr(i, 7) != " FETCH ") continue;
    Reader reader(line.substr(i + 7));
    auto attrs = reader.Value();
    if (!attrs || attrs->kind != Node::Kind::kList) continue;
    FetchedMessage m;
    m.sequence = seq;
    bool seen = false;
    for (std::size_t k = 0; k + 1 < attrs->items.size(); k += 2) {
      const std::string key = Text(attrs->items[k]);
      const Node& value = attrs->items[k + 1];
      if (EqualsIgnoreCase(key, "FLAGS") && value.kind == Node::Kind::kList) {
        for (const auto& f : value.items) {
          if (EqualsIgnoreCase(f.text, "\\Seen")) seen = true;
          if (EqualsIgnoreCase(f.text, "\\Flagged")) m.header.important = true;
        }
      } else if (EqualsIgnoreCase(key, "ENVELOPE") && value.kind == Node::Kind::kList && value.items.size() >= 3) {
        m.header.date = Text(value.items[0]);
        m.header.subject = DecodeEncodedWords(Text(value.items[1]));
        m.header.from = Address(value.items[2]);
      }
    }
    m.header.unread = !seen;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace atrium::transport::mail
