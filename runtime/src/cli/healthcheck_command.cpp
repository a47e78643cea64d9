// `vyx healthcheck [URL]`: the container's HEALTHCHECK without a shell or
// curl in the image. Exit 0 when the URL (default http://127.0.0.1:$PORT/health)
// answers 200 within the timeout, 1 otherwise (the reason on stderr).
#include <cstdlib>
#include <iostream>

#include "commands.hpp"
#include "vyx/runtime/net/http_client.hpp"

namespace vyx::cli {

int healthcheck_command(const std::vector<std::string>& args) {
  std::string target;
  long timeout_ms = 5000;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--timeout-ms" && i + 1 < args.size()) {
      timeout_ms = std::strtol(args[++i].c_str(), nullptr, 10);
    } else if (args[i] == "--help" || args[i] == "-h") {
      std::cout << "usage: vyx healthcheck [URL] [--timeout-ms MS]\n"
                   "URL defaults to http://127.0.0.1:$PORT/health ($PORT or 8080).\n";
      return 0;
    } else if (target.empty()) {
      target = args[i];
    } else {
      std::cerr << "vyx healthcheck: unexpected argument '" << args[i] << "'\n";
      return 2;
    }
  }
  if (target.empty()) {
    const char* port = std::getenv("PORT");
    target = std::string("http://127.0.0.1:") + (port && *port ? port : "8080") + "/health";
  }
  if (timeout_ms <= 0) timeout_ms = 5000;
  std::string error;
  auto url = runtime::parse_http_url(target, error);
  if (!url) {
    std::cerr << "vyx healthcheck: " << target << ": " << error << '\n';
    return 2;
  }
  runtime::http_client_limits limits;
  limits.timeout = std::chrono::milliseconds(timeout_ms);
  limits.body_limit = 1 << 20;
  // The URL's path is the whole target here.
  runtime::http_client_request request;
  const auto response = runtime::http_exchange(*url, request, limits);
  if (!response.error.empty()) {
    std::cerr << "vyx healthcheck: " << response.error << '\n';
    return 1;
  }
  if (response.status != 200) {
    std::cerr << "vyx healthcheck: " << target << " answered " << response.status << '\n';
    return 1;
  }
  std::cout << response.body;
  if (!response.body.empty() && response.body.back() != '\n') std::cout << '\n';
  return 0;
}

}  // namespace vyx::cli
