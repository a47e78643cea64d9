// Path matching for the compile service.
#include "routes.hpp"

#include <cctype>
#include <string>

namespace vyx::compiler::service {

namespace http = boost::beast::http;

route match_route(std::string_view target) {
  // The query string selects nothing in this API.
  if (const auto query = target.find('?'); query != std::string_view::npos)
    target = target.substr(0, query);
  route r;
  constexpr std::string_view artifacts = "/v1/artifacts/";
  if (target == "/v1/compile") {
    r = {endpoint::compile, "compile", http::verb::post, true, {}};
  } else if (target.starts_with(artifacts) && target.size() > artifacts.size()) {
    r = {endpoint::artifact, "artifact", http::verb::get, true,
         std::string(target.substr(artifacts.size()))};
  } else if (target == "/health") {
    r = {endpoint::health, "health", http::verb::get, false, {}};
  } else if (target == "/metrics") {
    r = {endpoint::metrics, "metrics", http::verb::get, true, {}};
  } else {
    // Unknown paths still need the token, so a scan learns nothing without it.
    r = {endpoint::unknown, "unknown", http::verb::unknown, true, {}};
  }
  return r;
}

bool method_allowed(const route& r, http::verb method) {
  if (method == r.method) return true;
  return r.method == http::verb::get && method == http::verb::head;
}

bool is_well_formed_hash(std::string_view hash) {
  if (hash.size() != 64) return false;
  for (const char c : hash)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool json_media_type(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  std::size_t start = 0;
  while (start < type.size() && (type[start] == ' ' || type[start] == '\t')) ++start;
  type = type.substr(start);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type.empty() || type == "application/json") return true;
  return type.starts_with("application/") && type.ends_with("+json");
}

}  // namespace vyx::compiler::service
