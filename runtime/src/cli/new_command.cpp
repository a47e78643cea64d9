// `vyx new NAME [--lang cpp|go] [--dir DIR]`: writes a commented starter
// trader that passes the checker, never over an existing file.
#include <boost/program_options.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <regex>

#include "commands.hpp"
#include "starter_traders.hpp"

namespace vyx::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// The name becomes the file stem and so the trader's id in signals, statuses
// and the database: a plain identifier, which every one of those accepts.
bool valid_trader_name(const std::string& name) {
  static const std::regex identifier("[A-Za-z][A-Za-z0-9_]{0,62}");
  return std::regex_match(name, identifier);
}

// O_EXCL, so that two runs (or an editor creating the file meanwhile) can
// never overwrite anything. False with `error` set on failure.
bool write_new_file(const fs::path& file, const std::string& text, std::string& error) {
  const int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = errno == EEXIST ? file.string() +
                                  " already exists; not overwritten (pick another "
                                  "NAME or --dir, or remove it first)"
                            : file.string() + ": " + std::strerror(errno);
    return false;
  }
  const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int saved = errno;
  close(fd);
  if (!written) {
    error = file.string() + ": " + std::strerror(saved);
    fs::remove(file);
    return false;
  }
  return true;
}

}  // namespace

int new_command(const std::vector<std::string>& args) {
  po::options_description options("vyx new NAME [--lang cpp|go] [--dir DIR]");
  std::string name, lang = "cpp", dir = ".";
  options.add_options()("help,h", "this help")(
      "lang", po::value(&lang)->default_value(lang),
      "cpp: a C++ dialect trader (NAME.cpp); go: a platform Go body (NAME.go)")(
      "dir", po::value(&dir)->default_value(dir), "folder to write it in (created if missing)");
  po::options_description hidden;
  hidden.add_options()("name", po::value(&name));
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("name", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options
              << "\nWrites DIR/NAME.cpp or DIR/NAME.go, a commented trader that passes the\n"
                 "checker; an existing file is never overwritten. Then:\n"
                 "  vyxc check NAME.cpp\n"
                 "  vyx backtest --watch --trader NAME.cpp --data DATA\n";
    return 0;
  }
  if (name.empty()) {
    std::cerr << "vyx new: NAME is required\n\n" << options;
    return 2;
  }
  if (!valid_trader_name(name)) {
    std::cerr << "vyx new: bad NAME '" << name
              << "': use a letter, then letters, digits or '_' (at most 63), e.g. rsi_dip; it "
                 "becomes the file name and the trader's id\n";
    return 2;
  }
  if (lang != "cpp" && lang != "go") {
    std::cerr << "vyx new: --lang must be cpp or go, not '" << lang << "'\n";
    return 2;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    std::cerr << "vyx new: cannot create " << dir << ": " << ec.message() << '\n';
    return 1;
  }
  const fs::path file = fs::path(dir) / (name + "." + lang);
  std::string error;
  if (!write_new_file(file, lang == "go" ? starter_go_trader(name) : starter_cpp_trader(name),
                      error)) {
    std::cerr << "vyx new: " << error << '\n';
    return 1;
  }
  std::cout << file.string() << '\n';
  std::cerr << "wrote " << file.string() << "; try: vyx backtest --watch --trader " << file.string()
            << " --data DATA\n";
  return 0;
}

}  // namespace vyx::cli
