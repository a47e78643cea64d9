// The model's answer as we keep it: a decision, a confidence and the
// reasoning. Model output is untrusted, so it is read strictly: exactly those
// three fields, the decision one of the three names, the confidence a whole
// number 0-100, the reasoning a bounded string; anything else is refused.
#pragma once

#include <string>
#include <string_view>

namespace vyx::runtime {

enum class analysis_decision { enter_trade, bad_setup, wait };

struct analysis_verdict {
  analysis_decision decision = analysis_decision::wait;
  int confidence = 0;
  std::string reasoning;
};

inline constexpr std::size_t max_reasoning_bytes = 4000;

const char* decision_name(analysis_decision decision);

// The assistant message of an OpenAI-style chat completion (OpenRouter's
// wire format): choices[0].message.content. false with `error` otherwise.
bool read_completion_content(std::string_view body, std::string& content, std::string& error);

// `content` is the model's text: one JSON object, optionally inside a single
// ``` or ```json fence. false with `error` (no model text in it) on any deviation.
bool parse_verdict(std::string_view content, analysis_verdict& verdict, std::string& error);

}  // namespace vyx::runtime
