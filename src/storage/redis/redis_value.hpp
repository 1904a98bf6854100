#pragma once
// One reply from a Redis server in the driver's own types, so no caller sees hiredis:
// nil, an integer, a bulk or status string, an error, or an array of replies.

#include <cstdint>
#include <string>
#include <vector>

namespace atrium::storage::redis {

struct RedisValue {
  enum class Kind { kNil, kInteger, kString, kStatus, kError, kArray };

  Kind kind = Kind::kNil;
  std::int64_t integer = 0;
  std::string text;                  // kString, kStatus, kError
  std::vector<RedisValue> elements;  // kArray

  bool is_error() const { return kind == Kind::kError; }
  bool is_nil() const { return kind == Kind::kNil; }
};

}  // namespace atrium::storage::redis
