// Shared fixtures of the compile-service tests: the token, sample traders,
// a running server, and JSON access to answers.
#pragma once

#include <simdjson.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "http_client.hpp"
#include "server_process.hpp"

namespace vyx::test {

inline const std::string service_token = "test-token-8f14e45fceea167a5a36dedd4bea2543";

// A valid trader in the dialect. `variant` goes into a comment so each caller
// can get a distinct source (and artifact hash) without changing behaviour.
inline std::string good_trader(const std::string& variant = "") {
  return "// sample trader " + variant +
         "\n"
         "bool filter(const vyx::Market& m) {\n"
         "  const auto& k = m.klines(\"5m\");\n"
         "  if (k.size() < 50) return false;\n"
         "  return vyx::rsi(k.close(), 14) < 30 && k.close().last() > vyx::ema(k.close(), 50);\n"
         "}\n";
}

// Rejected: an #include on line 2, column 1.
inline std::string rejected_trader() {
  return "// includes a host header\n"
         "#include <cstdio>\n"
         "bool filter(const vyx::Market& m) { return m.klines(\"5m\").size() > 0; }\n";
}

inline std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

inline std::string compile_body(const std::string& code, const std::string& name = "sample") {
  return "{\"language\":\"cpp\",\"name\":" + json_string(name) + ",\"code\":" + json_string(code) +
         "}";
}

inline http_request compile_request_for(const std::string& code,
                                        const std::string& name = "sample") {
  http_request request;
  request.method = "POST";
  request.target = "/v1/compile";
  request.body = compile_body(code, name);
  request.token = service_token;
  request.headers["Content-Type"] = "application/json";
  return request;
}

inline http_request get(const std::string& target, const std::string& token = service_token) {
  http_request request;
  request.target = target;
  request.token = token;
  return request;
}

// A parsed JSON answer; throws on a body that is not JSON.
class json_doc {
 public:
  explicit json_doc(const std::string& text) : parser_(std::make_unique<simdjson::dom::parser>()) {
    if (parser_->parse(text).get(root_)) throw std::runtime_error("not JSON: " + text);
  }
  simdjson::dom::element operator[](std::string_view key) const {
    simdjson::dom::element element;
    if (root_[key].get(element)) throw std::runtime_error("no field " + std::string(key));
    return element;
  }
  simdjson::dom::element root() const { return root_; }
  // The "code" of an {"error": {...}} answer, or "" if there is none.
  std::string error_code() const {
    std::string_view code;
    if (root_["error"]["code"].get(code)) return {};
    return std::string(code);
  }

 private:
  std::unique_ptr<simdjson::dom::parser> parser_;
  simdjson::dom::element root_;
};

inline server_options secured(std::vector<std::string> arguments = {}) {
  server_options options;
  options.arguments = std::move(arguments);
  options.env["VYXC_TOKEN"] = service_token;
  return options;
}

}  // namespace vyx::test

namespace vyx::test {

// A trader whose compile runs into the time limit: a macro that doubles 40
// times (the compiler's own limits test uses the same bomb).
inline std::string compile_bomb_trader(const std::string& variant) {
  std::string code = "// compile bomb " + variant + "\n#define A0 1+\n";
  for (int i = 1; i <= 40; ++i)
    code += "#define A" + std::to_string(i) + " A" + std::to_string(i - 1) + " A" +
            std::to_string(i - 1) + "\n";
  return code +
         "bool filter(const vyx::Market& m) { return A40 1 > 0 && m.klines(\"5m\").size() > 0; }\n";
}

}  // namespace vyx::test
