#pragma once
// The user's preferences document: the spec's defaults, JSON Merge Patch (RFC 7386) for
// updates, and the type rules for the keys the spec documents. Pure functions on
// Boost.JSON values; the routes store the result as User::preferences_json.

#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace atrium::dialects::secondbrain {

// The spec's defaults: theme "dark", voiceEnabled, defaultModel, memoryRetention,
// privacyMode, language, notifications{email, push}, chat{temperature, maxTokens,
// streamResponses}.
boost::json::object DefaultPreferences();

// Applies `patch` to `target` as RFC 7386 does: objects merge recursively, a null
// removes the key, any other value (arrays included) replaces. Nulls never end up in
// `target`.
void MergePatch(boost::json::object& target, const boost::json::object& patch);

// A stored document (text) as an object; anything unparsable or not an object is {}.
boost::json::object ParsePreferences(std::string_view stored);

// What the client sees: the defaults with the stored document merged over them.
boost::json::object EffectivePreferences(const boost::json::object& stored);

struct PreferenceError {
  std::string field;    // dotted path: "chat.temperature"
  std::string message;  // safe for clients
};

// Checks the types and ranges of the known keys in a patch (null is always allowed: it
// removes a key). Unknown keys are free-form and accepted.
std::optional<PreferenceError> ValidatePreferencePatch(const boost::json::object& patch);

// Whether the assistant saves memories it extracts from the user's chat messages
// (autoSaveMemories, Atrium's own key; true unless set to false). Not among the
// defaults, so GET /api/user/preferences shows the spec's document until it is set.
bool AutoSaveMemories(const boost::json::object& preferences);

// Bound on a stored document, so repeated merges cannot grow one without limit.
inline constexpr std::size_t kMaxPreferencesBytes = 32 * 1024;

}  // namespace atrium::dialects::secondbrain
