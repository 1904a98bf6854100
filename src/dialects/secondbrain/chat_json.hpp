#pragma once
// Conversations and messages in the spec's shapes ("Get Conversations", "Get
// Conversation Details").

#include <boost/json/object.hpp>

#include "core/chat/conversation.hpp"

namespace atrium::dialects::secondbrain {

// {id, title, summary, messageCount, tags, createdAt, updatedAt}
boost::json::object ConversationSummaryJson(const core::chat::Conversation& c);
// {id, title, summary, tags, createdAt, updatedAt}
boost::json::object ConversationJson(const core::chat::Conversation& c);
// {id, role, content, timestamp, metadata}: a user message's metadata says voiceInput,
// an answer's tokensUsed, inferenceTime, model and retrievedContext.
boost::json::object MessageJson(const core::chat::Message& m);

}  // namespace atrium::dialects::secondbrain
