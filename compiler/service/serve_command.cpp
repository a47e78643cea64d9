// `vyxc serve`: options, the token policy, and the service's lifetime
// (start, print the bound address, graceful stop on SIGTERM/SIGINT).
#include "serve_command.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/program_options.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string_view>

#include "listener.hpp"
#include "service_config.hpp"
#include "service_state.hpp"

namespace vyx::compiler {

namespace {

namespace net = boost::asio;
namespace options = boost::program_options;
using common::signing_key;

constexpr const char* token_variable = "VYXC_TOKEN";
// The artifact signing key: PEM text (a Fly secret), or the path of a PEM file.
constexpr const char* key_variable = "VYXC_SIGNING_KEY";
constexpr const char* key_file_variable = "VYXC_SIGNING_KEY_FILE";

// --signing-key wins over VYXC_SIGNING_KEY_FILE, which wins over VYXC_SIGNING_KEY.
std::shared_ptr<const signing_key> load_signing_key(std::string file) {
  if (file.empty())
    if (const char* path = std::getenv(key_file_variable); path && *path) file = path;
  if (!file.empty()) return std::make_shared<const signing_key>(signing_key::from_pem_file(file));
  if (const char* pem = std::getenv(key_variable); pem && *pem)
    return std::make_shared<const signing_key>(signing_key::from_pem(pem));
  return nullptr;
}

int run_service(const service::service_config& config, const compiler_options& compiler_settings) {
  vyx::compiler::compiler compiler(compiler_settings);
  service::service_state state(config, compiler);
  net::io_context io(1);

  boost::beast::error_code ec;
  const auto address = net::ip::make_address(config.host, ec);
  if (ec) {
    std::fprintf(stderr, "vyxc serve: bad --host %s: %s\n", config.host.c_str(),
                 ec.message().c_str());
    return 2;
  }
  auto acceptor = std::make_shared<service::listener>(io, state);
  acceptor->open({address, config.port}, ec);
  if (ec) {
    std::fprintf(stderr, "vyxc serve: cannot listen on %s:%u: %s\n", config.host.c_str(),
                 config.port, ec.message().c_str());
    return 2;
  }
  acceptor->run();

  net::steady_timer grace(io);
  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& signal_ec, int signal_number) {
    if (signal_ec) return;
    std::fprintf(stderr, "vyxc serve: signal %d, finishing requests in flight\n", signal_number);
    acceptor->stop();
    // In-flight compiles get their answers; past the grace period we stop anyway.
    grace.expires_after(config.limits.shutdown_grace);
    grace.async_wait([&io](const boost::system::error_code& timer_ec) {
      if (!timer_ec) io.stop();
    });
    state.begin_shutdown([&io] { io.stop(); });
  });

  // The bound port matters when --port 0 let the kernel choose: tests and
  // scripts wait for this line.
  const auto bound = acceptor->local_endpoint();
  std::printf("vyxc serve: listening on http://%s:%u\n", bound.address().to_string().c_str(),
              bound.port());
  std::fflush(stdout);

  io.run();
  state.forget_idle_callback();
  // Workers may still hold compiles accepted before the stop; they finish
  // (their answers have nowhere to go) before the io_context goes away.
  state.queue().stop();
  std::fprintf(stderr, "vyxc serve: stopped\n");
  return 0;
}

}  // namespace

int serve_command(int argc, char** argv) {
  service::service_config config;
  compiler_options compiler_settings;
  std::string cache_dir;
  std::string signing_key_file;
  unsigned port = 0;
  std::uint64_t body_limit = config.limits.body_limit;

  options::options_description description(
      "Usage: vyxc serve --port P [options]\n"
      "HTTP compile service. Requests need 'Authorization: Bearer $VYXC_TOKEN' (except "
      "/health).\nOptions");
  description.add_options()("help,h", "show this help")(
      "port", options::value(&port)->required(),
      "TCP port; 0 picks a free one (printed on stdout)")(
      "host", options::value(&config.host)->default_value(config.host), "address to listen on")(
      "cache", options::value(&cache_dir), "artifact cache directory (default: the compiler's)")(
      "jobs", options::value(&config.jobs)->default_value(0), "compile workers (0: one per core)")(
      "max-queue", options::value(&config.max_queue)->default_value(config.max_queue),
      "compiles that may wait for a worker before requests get 503")(
      "reserve-workers",
      options::value(&config.reserve_workers)->default_value(config.reserve_workers),
      "extra workers for new compiles while every worker runs a long one (0: none)")(
      "long-compile-ms",
      options::value(&config.long_compile_ms)->default_value(config.long_compile_ms),
      "a compile running this long counts as long (for --reserve-workers)")(
      "time-limit",
      options::value(&compiler_settings.time_limit_seconds)
          ->default_value(compiler_settings.time_limit_seconds),
      "CPU seconds one compile may use")("body-limit",
                                      options::value(&body_limit)->default_value(body_limit),
                                      "largest request body, in bytes")(
      "signing-key", options::value(&signing_key_file),
      "Ed25519 private key (PEM) that signs artifacts (else $VYXC_SIGNING_KEY_FILE, or the PEM "
      "in $VYXC_SIGNING_KEY)")(
      "insecure", options::bool_switch(&config.insecure),
      "serve without a token when VYXC_TOKEN is unset (loopback development only)");

  options::variables_map values;
  try {
    // Accepts argv as main's (vyxc serve ...) or shifted by one (serve ...).
    // The parser skips its argv[0], the program (or subcommand) name.
    const int skip = argc > 1 && std::string_view(argv[1]) == "serve" ? 1 : 0;
    options::store(
        options::command_line_parser(argc - skip, argv + skip).options(description).run(), values);
    if (values.count("help")) {
      std::cout << description << '\n';
      return 0;
    }
    options::notify(values);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vyxc serve: %s\n", e.what());
    std::cerr << description << '\n';
    return 2;
  }
  if (port > 65535) {
    std::fprintf(stderr, "vyxc serve: --port %u is out of range\n", port);
    return 2;
  }
  config.port = static_cast<std::uint16_t>(port);
  config.limits.body_limit = body_limit;
  if (!cache_dir.empty()) compiler_settings.cache_dir = cache_dir;

  if (const char* token = std::getenv(token_variable); token && *token) {
    config.token = token;
    config.insecure = false;
  } else if (config.insecure) {
    std::fprintf(
        stderr,
        "vyxc serve: %s is not set; --insecure: every endpoint is open to anyone who can connect\n",
        token_variable);
  } else {
    std::fprintf(stderr,
                 "vyxc serve: %s is not set; refusing to start without a token "
                 "(set it, or pass --insecure for local development)\n",
                 token_variable);
    return 2;
  }

  try {
    config.artifact_key = load_signing_key(signing_key_file);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vyxc serve: %s\n", e.what());
    return 2;
  }
  if (!config.artifact_key)
    std::fprintf(stderr,
                 "vyxc serve: no signing key (--signing-key, %s or %s): artifacts are served "
                 "unsigned and machines will refuse them\n",
                 key_file_variable, key_variable);

  try {
    return run_service(config, compiler_settings);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vyxc serve: %s\n", e.what());
    return 2;
  }
}

}  // namespace vyx::compiler
