// Starting `vyx run` for the Postgres tests.
#include "vyx_process.hpp"

#include <cstdlib>
#include <mutex>
#include <regex>
#include <stdexcept>

#include "http_get.hpp"

namespace vyx::test {
namespace {

// setenv then spawn, under one lock: the child copies the environment at spawn.
std::mutex environment_mutex;

}  // namespace

vyx_process::vyx_process(std::vector<std::string> args,
                         const std::map<std::string, std::string>& env,
                         const std::filesystem::path& stdout_file) {
  args.insert(args.begin(), VYX_COMMAND);
  {
    std::lock_guard lock(environment_mutex);
    std::map<std::string, std::string> saved;
    for (const auto& [name, value] : env) {
      if (const char* old = std::getenv(name.c_str())) saved[name] = old;
      setenv(name.c_str(), value.c_str(), 1);
    }
    child_ = std::make_unique<child_process>(args, stdout_file);
    for (const auto& [name, value] : env) {
      if (auto it = saved.find(name); it != saved.end())
        setenv(name.c_str(), it->second.c_str(), 1);
      else
        unsetenv(name.c_str());
    }
  }
  if (!child_->wait_for_stderr_line("listening on ", std::chrono::seconds(120)))
    throw std::runtime_error("vyx run did not start:\n" + child_->stderr_text());
  std::smatch m;
  const std::string text = child_->stderr_text();
  if (!std::regex_search(text, m, std::regex(R"(listening on [^:\s]+:(\d+))")))
    throw std::runtime_error("no port in: " + text);
  port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
}

vyx_process::~vyx_process() = default;

double vyx_process::metric(const std::string& name) const {
  try {
    // A plain search: names with labels hold regex metacharacters.
    const std::string body = http_get(port_, "/metrics").body;
    const auto at = body.find("\n" + name + " ");
    if (at != std::string::npos) return std::stod(body.substr(at + name.size() + 2));
  } catch (const std::exception&) {
  }
  return -1;
}

void generate_market(const std::filesystem::path& dir, int symbols, int days) {
  child_process gen({VYX_GEN_MARKET, "--out", dir.string(), "--symbols", std::to_string(symbols),
                     "--days", std::to_string(days)},
                    dir.parent_path() / "gen-market.out");
  const int status = gen.wait_exit();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("vyx-gen-market failed: " + gen.stderr_text());
}

}  // namespace vyx::test
