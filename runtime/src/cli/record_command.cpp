// `vyx record --live --out DIR`: the live feed's candles, exactly as `vyx run
// --live` screens them, written in the replay layout (DIR/<SYMBOL>/<tf>.csv).
#include <boost/program_options.hpp>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "live_options.hpp"
#include "vyx/runtime/feeds/binance_feed.hpp"
#include "vyx/runtime/feeds/recording_feed.hpp"

namespace vyx::cli {
namespace po = boost::program_options;
using namespace vyx::runtime;

int record_command(const std::vector<std::string>& args) {
  po::options_description options("vyx record --live --out DIR [options]");
  std::string out_dir;
  std::uint32_t history = 500;
  double seconds = 0;
  options.add_options()("help,h", "this help")("out", po::value(&out_dir), "folder to write")(
      "history", po::value(&history)->default_value(history),
      "closed candles backfilled at start per symbol and timeframe")(
      "seconds", po::value(&seconds)->default_value(0), "stop after this long (0 = at SIGTERM)");
  live_cli live;
  add_live_options(options, live);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  if (!vm.count("live") || out_dir.empty()) {
    std::cerr << "vyx record: --live and --out are required\n\n" << options;
    return 2;
  }
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  binance_feed source(live_feed_options(live, history));
  recording_feed recorder(source, out_dir);
  std::atomic<bool> done{false};
  std::thread stopper([&] {
    timespec wait{static_cast<time_t>(seconds), static_cast<long>((seconds - static_cast<long>(seconds)) * 1e9)};
    if (seconds > 0)
      sigtimedwait(&stop_signals, nullptr, &wait);
    else {
      int signal_number = 0;
      sigwait(&stop_signals, &signal_number);
    }
    done = true;
    recorder.stop();
  });
  std::cerr << "recording " << source.symbols().size() << " symbols to " << out_dir << std::endl;
  closed_candle c;
  while (recorder.next(c)) {
  }
  if (!done) {
    pthread_kill(stopper.native_handle(), SIGTERM);
  }
  stopper.join();
  spdlog::info("vyx record: {} candles written to {}", recorder.recorded(), out_dir);
  if (!source.error().empty()) {
    std::cerr << "vyx record: " << source.error() << '\n';
    return 1;
  }
  return 0;
}

}  // namespace vyx::cli
