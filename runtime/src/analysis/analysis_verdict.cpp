// Strict reading of the provider's envelope and of the model's verdict (simdjson).
#include "vyx/runtime/analysis/analysis_verdict.hpp"

#include <simdjson.h>

#include <cmath>

namespace vyx::runtime {

const char* decision_name(analysis_decision decision) {
  switch (decision) {
    case analysis_decision::enter_trade: return "enter_trade";
    case analysis_decision::bad_setup: return "bad_setup";
    case analysis_decision::wait: return "wait";
  }
  return "wait";
}

bool read_completion_content(std::string_view body, std::string& content, std::string& error) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  // (An empty view may have no data pointer, which simdjson must not be given.)
  if (body.empty() || parser.parse(body.data(), body.size()).get(root)) {
    error = "provider answer is not JSON";
    return false;
  }
  simdjson::dom::array choices;
  if (root["choices"].get_array().get(choices) || choices.size() == 0) {
    error = "provider answer has no choices";
    return false;
  }
  std::string_view text;
  if (choices.at(0)["message"]["content"].get_string().get(text)) {
    error = "provider answer has no message content";
    return false;
  }
  content.assign(text);
  return true;
}

namespace {

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Models often wrap JSON in a Markdown fence even when asked not to.
std::string_view unfence(std::string_view s) {
  s = trim(s);
  if (s.substr(0, 3) != "```") return s;
  s.remove_prefix(3);
  if (s.substr(0, 4) == "json") s.remove_prefix(4);
  const auto end = s.rfind("```");
  if (end == std::string_view::npos) return {};  // an unclosed fence: refused below
  return trim(s.substr(0, end));
}

}  // namespace

bool parse_verdict(std::string_view content, analysis_verdict& verdict, std::string& error) {
  const std::string_view text = unfence(content);
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (text.empty() || parser.parse(text.data(), text.size()).get_object().get(object)) {
    error = "model output is not a JSON object";
    return false;
  }
  bool seen_decision = false, seen_confidence = false, seen_reasoning = false;
  analysis_verdict out;
  for (auto field : object) {
    if (field.key == "decision" && !seen_decision) {
      seen_decision = true;
      std::string_view name;
      if (field.value.get_string().get(name)) return error = "decision is not a string", false;
      if (name == "enter_trade")
        out.decision = analysis_decision::enter_trade;
      else if (name == "bad_setup")
        out.decision = analysis_decision::bad_setup;
      else if (name == "wait")
        out.decision = analysis_decision::wait;
      else
        return error = "decision is not enter_trade, bad_setup or wait", false;
    } else if (field.key == "confidence" && !seen_confidence) {
      seen_confidence = true;
      double value = 0;
      if (field.value.get_double().get(value))  // any JSON number; a string is refused
        return error = "confidence is not a number", false;
      if (!(value >= 0 && value <= 100) || value != std::floor(value))
        return error = "confidence is not a whole number 0-100", false;
      out.confidence = static_cast<int>(value);
    } else if (field.key == "reasoning" && !seen_reasoning) {
      seen_reasoning = true;
      std::string_view reasoning;
      if (field.value.get_string().get(reasoning)) return error = "reasoning is not a string", false;
      if (reasoning.size() > max_reasoning_bytes) return error = "reasoning is too long", false;
      out.reasoning.assign(reasoning);
    } else {
      // An unknown or repeated key: the answer is not the shape we asked for.
      error = "model output has an unexpected or repeated field";
      return false;
    }
  }
  if (!seen_decision || !seen_confidence || !seen_reasoning) {
    error = "model output lacks decision, confidence or reasoning";
    return false;
  }
  verdict = std::move(out);
  return true;
}

}  // namespace vyx::runtime
