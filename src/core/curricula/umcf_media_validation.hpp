#pragma once
// The "media" of a UMCF content node: {"embedded": [...], "reference": [...]}, each entry
// {id, type, ...} with the source its kind needs (docs/curricula.md). Internal to
// src/core/curricula.

#include <set>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/curricula/umcf_checker.hpp"

namespace atrium::core::curricula::detail {

// Checks node.media (absent is fine). media_ids collects every media id of the document:
// assets are fetched by id, so two with one id would shadow each other.
void CheckNodeMedia(const boost::json::object& node, std::string_view node_path, UmcfChecker& c,
                    std::set<std::string, std::less<>>& media_ids);

}  // namespace atrium::core::curricula::detail
