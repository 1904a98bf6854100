#pragma once
// Unichat's wire form of assistant configurations ("LLM configs") and prompt templates.

#include <boost/json.hpp>

#include "core/assistants/assistant_config.hpp"
#include "core/prompts/prompt_template.hpp"
#include "http/result.hpp"

namespace atrium::dialects::unichat {

// {id, name, model_id, model_name, owner_id, visibility, description, system_prompt,
//  avatar, parameters{...}, tags, stats{uses_count, saves_count}, created_at, updated_at}
boost::json::object ConfigJson(const core::assistants::AssistantConfig& config);
boost::json::array ConfigsJson(const std::vector<core::assistants::AssistantConfig>& configs);

// The fields of a create or update body. Types are checked here (400 naming the field);
// ranges by the core. With `creating`, parameters left out take the spec's defaults
// (temperature 0.7, max_tokens 2048, top_p 1, penalties 0).
http::Result<core::assistants::ConfigFields> ParseConfigFields(const boost::json::object& body, bool creating);

boost::json::object PromptTemplateJson(const core::prompts::PromptTemplate& t);
http::Result<core::prompts::TemplateFields> ParseTemplateFields(const boost::json::object& body);

}  // namespace atrium::dialects::unichat
