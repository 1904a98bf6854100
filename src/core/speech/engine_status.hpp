#pragma once
// What a speech engine reports about itself for health pages.

#include <string>

namespace atrium::core::speech {

struct EngineStatus {
  std::string name;    // "pocketsphinx", "espeak-ng", "http"
  std::string kind;    // "embedded" or "http"
  bool available = false;
  std::string detail;  // the model or voice in use, or why it is unavailable
  double latency_ms = -1;  // the last probe's, when the engine was probed (HTTP)
};

}  // namespace atrium::core::speech
