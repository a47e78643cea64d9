// Parses compile requests with simdjson's DOM (which validates UTF-8 of the
// whole document) and writes compile responses.
#include "compile_json.hpp"

#include <simdjson.h>

#include "parent/result_json.hpp"
#include "vyx/common/json_writer.hpp"

namespace vyx::compiler::service {
namespace {

request_error unprocessable(std::string message) {
  return {422, "invalid_request", std::move(message)};
}

}  // namespace

parsed_compile_request parse_compile_request(std::string_view body) {
  parsed_compile_request out;
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (const auto error = parser.parse(body.data(), body.size()).get(document); error) {
    if (error == simdjson::UTF8_ERROR)
      out.error = {400, "invalid_utf8", "the request body is not valid UTF-8"};
    else
      out.error = {
          400, "invalid_json",
          std::string("the request body is not valid JSON: ") + simdjson::error_message(error)};
    return out;
  }
  simdjson::dom::object object;
  if (document.get(object)) {
    out.error = unprocessable("the request body must be a JSON object");
    return out;
  }

  bool has_language = false;
  bool has_code = false;
  std::string_view language;
  for (const auto field : object) {
    const std::string_view key = field.key;
    const simdjson::dom::element value = field.value;
    const auto string_field = [&](std::string& target) {
      std::string_view text;
      if (value.get(text)) {
        out.error = unprocessable("field \"" + std::string(key) + "\" must be a string");
        return false;
      }
      target.assign(text);
      return true;
    };
    if (key == "language") {
      if (value.get(language)) {
        out.error = unprocessable("field \"language\" must be a string");
        return out;
      }
      has_language = true;
    } else if (key == "code") {
      if (!string_field(out.request.code)) return out;
      has_code = true;
    } else if (key == "seriesCode") {
      if (!string_field(out.request.series_code)) return out;
    } else if (key == "name") {
      if (!string_field(out.request.name)) return out;
    } else if (key == "requiredTimeframes") {
      simdjson::dom::array timeframes;
      if (value.get(timeframes)) {
        out.error = unprocessable("field \"requiredTimeframes\" must be an array of strings");
        return out;
      }
      out.request.required_timeframes.clear();
      for (const auto element : timeframes) {
        std::string_view timeframe;
        if (element.get(timeframe)) {
          out.error = unprocessable("field \"requiredTimeframes\" must be an array of strings");
          return out;
        }
        out.request.required_timeframes.emplace_back(timeframe);
      }
    }
  }

  if (!has_language) {
    out.error = unprocessable("missing field \"language\" (\"cpp\" or \"go\")");
  } else if (!has_code) {
    out.error = unprocessable("missing field \"code\" (the trader's source)");
  } else if (language != "cpp" && language != "go") {
    out.error = unprocessable("field \"language\" must be \"cpp\" or \"go\", not \"" +
                              std::string(language) + "\"");
  } else if (out.request.code.find_first_not_of(" \t\r\n") == std::string::npos) {
    out.error = unprocessable("field \"code\" is empty");
  } else if (language == "cpp" && !out.request.series_code.empty()) {
    out.error = unprocessable(
        "field \"seriesCode\" is for language \"go\"; a C++ trader defines series() in \"code\"");
  }
  if (out.ok()) {
    out.request.language = language == "go" ? source_language::go : source_language::cpp;
    if (out.request.language == source_language::go) out.request.file_name = "trader.go";
  }
  return out;
}

std::string compile_result_json(const compile_result& result, const service_timings& timings) {
  json_writer json;
  json.begin_object();
  write_result_members(json, result);
  if (result.ok) json.key("artifactUrl").value("/v1/artifacts/" + result.hash);

  json.key("timings").begin_object();
  json.key("checkMs").value(result.timings.check_ms);
  json.key("codegenMs").value(result.timings.codegen_ms);
  json.key("linkMs").value(result.timings.link_ms);
  json.key("compileMs").value(result.timings.total_ms);
  json.key("queueMs").value(timings.queue_ms);
  json.key("serviceMs").value(timings.service_ms);
  json.end_object();
  json.end_object();
  return json.take();
}

std::string error_json(std::string_view code, std::string_view message) {
  json_writer json;
  json.begin_object().key("error").begin_object();
  json.key("code").value(code);
  json.key("message").value(message);
  json.end_object().end_object();
  return json.take();
}

}  // namespace vyx::compiler::service
