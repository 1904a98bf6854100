#pragma once
// Admission to the speech engines (core/admission_slots.hpp), refusing with the speech
// reasons: kSpeechBusy when the queue is full, kSpeechTimeout past the deadline.

#include <cstddef>

#include "core/admission_slots.hpp"

namespace atrium::core::speech {

class SpeechSlots : public AdmissionSlots {
 public:
  SpeechSlots(std::size_t max_active, std::size_t max_waiting)
      : AdmissionSlots(max_active, max_waiting,
                       {"Speech engines are busy", Reason::kSpeechBusy, "Speech job timed out waiting for an engine",
                        Reason::kSpeechTimeout}) {}
};

}  // namespace atrium::core::speech
