// vyx-provision: a user's Fly machine from nothing (create), its health
// (check), and its removal (deprovision), as the platform's
// provision-user-fly-app does plus a health check, a per-machine database
// role and safe retries. Settings and secrets come from the environment
// (deploy/README.md); no secret value is ever printed.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "fly_apps_table.hpp"
#include "machines_api.hpp"
#include "provisioner.hpp"

namespace {

using namespace vyx::provision;

constexpr const char* usage =
    "usage: vyx-provision create      --user-id UUID --image IMAGE [--region sin] [--org SLUG]\n"
    "                                 [--cpus 2] [--memory-mb 512] [--wait-seconds 60]\n"
    "                                 [--cmd ARG]...   (the machine's command, else the image's)\n"
    "       vyx-provision check       --user-id UUID   (exit 0 healthy, 1 unhealthy)\n"
    "       vyx-provision deprovision --user-id UUID\n"
    "       vyx-provision app-name    --user-id UUID\n"
    "environment: FLY_API_TOKEN, FLY_API_HOSTNAME (https://api.machines.dev), FLY_ORG_SLUG,\n"
    "  DATABASE_URL (admin connection: user_fly_apps, machine roles), VYX_MACHINE_DATABASE_URL\n"
    "  (the machine's, with {role} and {password}), and the machine's variables (README).\n";

// Secrets the machine gets or the tool uses: passed on, never printed.
const std::vector<std::string> secret_variables = {
    "FLY_API_TOKEN",      "DATABASE_URL",       "SUPABASE_SERVICE_KEY", "GEMINI_API_KEY",
    "BRAINTRUST_API_KEY", "OPENROUTER_API_KEY", "VYX_COMPILER_TOKEN"};

std::string environment(const std::string& name, const std::string& fallback = {}) {
  const char* value = std::getenv(name.c_str());
  return value && *value ? value : fallback;
}

// Every secret value replaced, whatever text it turns up in.
std::string redacted(std::string text) {
  for (const auto& name : secret_variables) {
    const std::string value = environment(name);
    if (value.size() < 4) continue;
    for (auto at = text.find(value); at != std::string::npos; at = text.find(value, at))
      text.replace(at, value.size(), "[" + name + "]");
  }
  return text;
}

// The machine's environment: the platform's names (PLATFORM.md, "Environment
// of a machine"), then ours. Unset optional ones are left out.
std::vector<std::pair<std::string, std::string>> machine_environment(const std::string& user_id) {
  std::vector<std::pair<std::string, std::string>> env = {{"USER_ID", user_id},
                                                          {"RUN_MODE", "user_dedicated"}};
  const std::vector<std::pair<std::string, std::string>> passed = {
      {"SUPABASE_URL", ""},
      {"SUPABASE_SERVICE_KEY", ""},
      {"GEMINI_API_KEY", ""},
      {"BRAINTRUST_API_KEY", ""},
      {"BRAINTRUST_PROJECT_ID", ""},
      {"OPENROUTER_API_KEY", ""},
      {"PORT", "8080"},
      {"HOST", "0.0.0.0"},
      {"BINANCE_API_URL", "https://api.binance.com"},
      {"BINANCE_WS_URL", "wss://stream.binance.com:9443"},
      {"SYMBOL_COUNT", "100"},
      {"MIN_VOLUME", "100000"},
      {"VERSION", ""},
      {"ENVIRONMENT", "production"},
      {"VYX_COMPILER_URL", ""},
      {"VYX_COMPILER_TOKEN", ""},
      {"VYX_ARTIFACT_PUBLIC_KEY", ""},
      {"VYX_ARTIFACT_CACHE", "/data/artifacts"}};
  for (const auto& [name, fallback] : passed)
    if (auto value = environment(name, fallback); !value.empty()) env.emplace_back(name, value);
  return env;
}

int run(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::cout << usage;
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  provision_settings settings;
  settings.org_slug = environment("FLY_ORG_SLUG", "personal");
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--user-id") settings.user_id = value();
    else if (arg == "--image") settings.image = value();
    else if (arg == "--region") settings.region = value();
    else if (arg == "--org") settings.org_slug = value();
    else if (arg == "--cpus") settings.cpus = static_cast<unsigned>(std::stoul(value()));
    else if (arg == "--memory-mb") settings.memory_mb = static_cast<unsigned>(std::stoul(value()));
    else if (arg == "--wait-seconds") settings.wait_seconds = std::stoi(value());
    else if (arg == "--cmd") settings.cmd.push_back(value());
    else throw std::runtime_error("unknown argument " + arg + "\n" + usage);
  }
  if (!is_uuid(settings.user_id)) throw std::runtime_error("--user-id UUID is required");
  if (command == "app-name") {
    std::cout << app_name_for(settings.user_id) << '\n';
    return 0;
  }
  if (command != "create" && command != "check" && command != "deprovision")
    throw std::runtime_error("unknown command " + command + "\n" + usage);

  const std::string database_url = environment("DATABASE_URL");
  if (database_url.empty()) throw std::runtime_error("DATABASE_URL (admin connection) is not set");
  machines_api api(environment("FLY_API_HOSTNAME", "https://api.machines.dev"),
                   environment("FLY_API_TOKEN"));
  fly_apps_table table(database_url);
  provisioner tool(api, table, [](const std::string& line) {
    std::cerr << "vyx-provision: " << redacted(line) << '\n';
  });
  if (command == "check") return tool.check(settings.user_id) ? 0 : 1;
  if (command == "deprovision") {
    tool.deprovision(settings.user_id);
    return 0;
  }
  settings.env = machine_environment(settings.user_id);
  settings.machine_database_url = environment("VYX_MACHINE_DATABASE_URL");
  const auto out = tool.provision(settings);
  std::cout << "{\"app\":\"" << out.app << "\",\"machine\":\"" << out.machine_id
            << "\",\"state\":\"" << out.state << "\",\"createdApp\":" << std::boolalpha
            << out.created_app << ",\"createdMachine\":" << out.created_machine << "}\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "vyx-provision: " << redacted(e.what()) << '\n';
    return 1;
  }
}
