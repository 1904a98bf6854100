#pragma once
// What an audit entry records beside its action and target: named values, in order.
// Typed, so the core carries no wire JSON; the storage driver keeps them (as a JSON
// object in the details column) and each dialect renders them in its own shape.

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace atrium::core::audit {

// null, a flag, a count, a text, or a list of names (the fields a change touched).
using AuditValue = std::variant<std::nullptr_t, bool, std::int64_t, std::string, std::vector<std::string>>;

// In the order the action recorded them; names are unique within one entry.
using AuditDetails = std::vector<std::pair<std::string, AuditValue>>;

}  // namespace atrium::core::audit
