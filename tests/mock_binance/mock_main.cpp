// vyx-mock-binance: a mock Binance on the loopback that replays a recording
// (the replay layout, e.g. `vyx record` output or the sample market) at any
// speed, over TLS with a generated test CA or plain. For demos and tests.
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

#include "mock_binance.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace {

constexpr const char* usage =
    "vyx-mock-binance (--data DIR | --generate N) [options]\n"
    "  --data DIR          market to serve: DIR/<SYMBOL>/<tf>.csv (the replay layout)\n"
    "  --generate N        N generated USDT symbols instead (1m,5m,15m,1h; --minutes long)\n"
    "  --minutes M         generated length (default 4320 = 3 days)\n"
    "  --speed X           market ms per wall ms (default 1; 60 = a minute a second)\n"
    "  --start MS          market time to start at (default: first candle + 1 day)\n"
    "  --port P            (default 0 = any free port)\n"
    "  --tls-dir DIR       serve https/wss with a test CA made in DIR (DIR/ca.pem to trust)\n"
    "  --forming-ms MS     market ms between x=false updates per stream (default 2000)\n"
    "  --ping-ms MS        server ping interval (default 20000)\n"
    "Prints 'listening API_URL WS_URL' and serves until SIGTERM/SIGINT or the market ends.\n";

std::atomic<bool> stop{false};
void on_signal(int) { stop = true; }

}  // namespace

int main(int argc, char** argv) {
  std::string data, tls_dir;
  std::size_t generate = 0, minutes = 4320;
  double speed = 1;
  std::int64_t start = 0;
  vyx::mock::mock_options options;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "vyx-mock-binance: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    try {
      if (a == "--data") data = value();
      else if (a == "--generate") generate = std::stoul(value());
      else if (a == "--minutes") minutes = std::stoul(value());
      else if (a == "--speed") speed = std::stod(value());
      else if (a == "--start") start = std::stoll(value());
      else if (a == "--port") options.port = static_cast<std::uint16_t>(std::stoul(value()));
      else if (a == "--tls-dir") tls_dir = value();
      else if (a == "--forming-ms") options.forming_interval_ms = std::stoll(value());
      else if (a == "--ping-ms") options.ping_interval = std::chrono::milliseconds(std::stoll(value()));
      else if (a == "--help" || a == "-h") {
        std::cout << usage;
        return 0;
      } else {
        std::cerr << "vyx-mock-binance: unknown option " << a << "\n\n" << usage;
        return 2;
      }
    } catch (const std::exception&) {
      std::cerr << "vyx-mock-binance: bad value for " << a << '\n';
      return 2;
    }
  }
  if (data.empty() == (generate == 0) || speed <= 0) {
    std::cerr << usage;
    return 2;
  }
  try {
    vyx::mock::mock_market market;
    if (!data.empty()) {
      market = vyx::mock::load_market(data);
    } else {
      std::vector<std::string> names;
      for (std::size_t i = 0; i < generate; ++i) names.push_back("S" + std::to_string(i) + "USDT");
      market = vyx::mock::generate_market(
          names, (1u << VYX_TF_1M) | (1u << VYX_TF_5M) | (1u << VYX_TF_15M) | (1u << VYX_TF_1H),
          1'767'225'600'000, minutes);
    }
    if (start == 0) start = market.first_open() + 86'400'000;
    const std::int64_t end = market.last_close();
    if (!tls_dir.empty()) {
      auto ca = vyx::mock::make_test_ca(tls_dir);
      options.cert_file = ca.cert_file;
      options.key_file = ca.key_file;
    }
    vyx::mock::mock_binance mock(std::move(market), options);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    mock.run_clock(start, speed);
    std::cout << "listening " << mock.api_url() << ' ' << mock.ws_url() << std::endl;
    while (!stop && mock.market_now() <= end)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::cerr << "vyx-mock-binance: " << (stop ? "stopped" : "market ended") << " at "
              << mock.market_now() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "vyx-mock-binance: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
