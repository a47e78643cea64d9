// vyxc: the trader compiler's command line. `check` and `build` print
// clang-style diagnostics (or JSON with --json); `serve` runs the HTTP
// compile service. Exit status: 0 ok, 1 the code is rejected, 2 usage or
// internal error.
#include <boost/program_options.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_output.hpp"
#include "vyx/compiler/compiler.hpp"

#if VYX_HAVE_SERVICE
#include "service/keygen_command.hpp"
#include "service/serve_command.hpp"
#endif

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr const char* usage_text =
    "usage: vyxc check FILE [options]          check a trader, print diagnostics\n"
    "       vyxc build FILE -o OUT.so [options] check and build the plugin\n"
    "       vyxc serve [--port P] ...           run the HTTP compile service (vyxc serve --help)\n"
    "       vyxc keygen --out KEY.pem           make the service's artifact signing key\n"
    "\n"
    "A trader is a C++20 file in the Vyx dialect: it defines\n"
    "  bool filter(const vyx::Market& m)                  (required)\n"
    "  void series(const vyx::Market& m, vyx::Plot& plot) (optional)\n"
    "against the SDK (vyx/trader.hpp, included for you). See compiler/README.md.\n"
    "A .go FILE is a platform trader's body (filter.code); --series SERIES.go adds\n"
    "its seriesCode, the body of a function returning the chart's map.\n"
    "\n"
    "Diagnostics go to stderr as FILE:LINE:COL: error: MESSAGE [rule-id].\n"
    "Exit status: 0 accepted, 1 rejected (diagnostics say why), 2 usage or internal error.\n";

int run(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << usage_text;
    return 2;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << usage_text;
    return 0;
  }
  if (command == "serve") {
#if VYX_HAVE_SERVICE
    return vyx::compiler::serve_command(argc - 1, argv + 1);
#else
    std::cerr << "vyxc: this build has no HTTP service\n";
    return 2;
#endif
  }
  if (command == "keygen") {
#if VYX_HAVE_SERVICE
    return vyx::compiler::keygen_command(argc - 1, argv + 1);
#else
    std::cerr << "vyxc: this build has no HTTP service\n";
    return 2;
#endif
  }
  if (command != "check" && command != "build") {
    std::cerr << "vyxc: unknown command '" << command << "'\n\n" << usage_text;
    return 2;
  }

  po::options_description options("options");
  options.add_options()("help,h", "show this help")("output,o", po::value<std::string>(),
                                                    "where to write the plugin (build)")(
      "json", "print the result as JSON on stdout instead of diagnostics on stderr")(
      "name", po::value<std::string>(),
      "trader name recorded in the plugin (default: the file's stem)")(
      "timeframe", po::value<std::vector<std::string>>(),
      "a timeframe the trader requires (repeatable)")(
      "cache-dir", po::value<std::string>(),
      "artifact cache (default: $XDG_CACHE_HOME/vyx or ~/.cache/vyx)")(
      "time-limit", po::value<double>(), "CPU seconds a compile may use (default 20)")(
      "lang", po::value<std::string>(),
      "cpp or go (default: go for a .go file, else cpp); Go is a platform trader body")(
      "series", po::value<std::string>(),
      "Go only: a file with the trader's seriesCode (the chart series)");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::string>(), "trader source");
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(),
              values);
    po::notify(values);
  } catch (const po::error& e) {
    std::cerr << "vyxc: " << e.what() << "\n\n" << usage_text << "\n" << options;
    return 2;
  }
  if (values.count("help")) {
    std::cout << usage_text << "\n" << options;
    return 0;
  }
  if (!values.count("file")) {
    std::cerr << "vyxc: " << command << " needs a FILE\n\n" << usage_text;
    return 2;
  }
  if (command == "build" && !values.count("output")) {
    std::cerr << "vyxc: build needs -o OUT.so\n";
    return 2;
  }
  const fs::path file = values["file"].as<std::string>();
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "vyxc: cannot read " << file.string() << "\n";
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();

  vyx::compiler::compile_request request;
  request.code = text.str();
  request.file_name = file.string();
  const std::string lang = values.count("lang") ? values["lang"].as<std::string>()
                                                : (file.extension() == ".go" ? "go" : "cpp");
  if (lang != "cpp" && lang != "go") {
    std::cerr << "vyxc: --lang must be cpp or go\n";
    return 2;
  }
  if (lang == "go") request.language = vyx::compiler::source_language::go;
  if (values.count("series")) {
    const fs::path series = values["series"].as<std::string>();
    if (lang != "go") {
      std::cerr << "vyxc: --series is the seriesCode of a Go trader; a C++ trader defines "
                   "series() in its own file\n";
      return 2;
    }
    std::ifstream series_in(series, std::ios::binary);
    if (!series_in) {
      std::cerr << "vyxc: cannot read " << series.string() << "\n";
      return 2;
    }
    std::ostringstream series_text;
    series_text << series_in.rdbuf();
    request.series_code = series_text.str();
    request.series_file_name = series.string();
  }
  request.name = values.count("name") ? values["name"].as<std::string>() : file.stem().string();
  if (values.count("timeframe"))
    request.required_timeframes = values["timeframe"].as<std::vector<std::string>>();
  vyx::compiler::compiler_options compiler_options;
  if (values.count("cache-dir")) compiler_options.cache_dir = values["cache-dir"].as<std::string>();
  if (values.count("time-limit"))
    compiler_options.time_limit_seconds = values["time-limit"].as<double>();

  vyx::compiler::compiler compiler(compiler_options);
  const vyx::compiler::compile_result result =
      command == "check" ? compiler.check(request) : compiler.build(request);

  int status = result.ok ? 0 : 1;
  for (const auto& d : result.diagnostics)
    if (d.rule == "internal") status = 2;
  if (result.ok && command == "build") {
    const fs::path out = values["output"].as<std::string>();
    std::error_code ec;
    fs::copy_file(result.artifact_path, out, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      std::cerr << "vyxc: cannot write " << out.string() << ": " << ec.message() << "\n";
      return 2;
    }
  }
  if (values.count("json"))
    std::cout << vyx::compiler::result_json(result) << "\n";
  else
    std::cerr << vyx::compiler::diagnostics_text(result.diagnostics);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  // Exceptions stop here, at the process boundary, as a message and status 2.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "vyxc: internal error: " << e.what() << "\n";
    return 2;
  }
}
