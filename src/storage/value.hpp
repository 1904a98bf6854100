#pragma once
// Values that cross the database interface: parameters and result cells.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace atrium::storage {

struct Null {
  bool operator==(const Null&) const = default;
};

using Value = std::variant<Null, std::int64_t, double, std::string>;

// A result set: column names and rows of cells, in order.
struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
};

// Cell accessors that tolerate NULL and type drift (SQLite is dynamically typed).
std::optional<std::int64_t> AsInt(const Value& v);
std::optional<double> AsDouble(const Value& v);
std::optional<std::string> AsText(const Value& v);

// A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally;
// use it with `LIKE ? ESCAPE '\'`. `lower` lower-cases ASCII letters first.
std::string LikeContains(std::string_view text, bool lower = false);

}  // namespace atrium::storage
