#pragma once
// Unichat's wire form of conversations and messages, shared by the REST routes
// (/api/conversations*, /api/chat/*) and the Socket.IO chat events, so a streamed
// message_complete and a later GET show the same fields.

#include <boost/json.hpp>

#include "core/chat/conversation.hpp"

namespace atrium::dialects::unichat {

// {id, title, user_id, config_id, folder_id, message_count, is_pinned, is_archived, tags,
//  summary, created_at, updated_at, last_message_at,
//  stats{total_tokens, input_tokens, output_tokens, cost_usd}}
boost::json::object ConversationJson(const core::chat::Conversation& c);

// {model_id, tokens{prompt, completion, total}, generation_time_ms, cost_usd, finish_reason,
//  tokens_estimated}; "stopped": true for an answer cut short by stop_generation.
boost::json::object MetadataJson(const core::chat::GenerationMetadata& g, core::chat::MessageStatus status);

// {id, conversation_id, role, content, created_at, updated_at, is_edited, edit_history[{content,
//  edited_at}]} and, for assistant messages, metadata.
boost::json::object MessageJson(const core::chat::Message& m);

}  // namespace atrium::dialects::unichat
