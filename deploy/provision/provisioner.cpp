// The provisioning flows (see provisioner.hpp).
#include "provisioner.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "machine_config.hpp"

namespace vyx::provision {

namespace {

std::string hex(const unsigned char* data, std::size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 15]);
  }
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
    throw std::runtime_error("no random bytes for a password");
  return hex(raw.data(), raw.size());
}

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return hex(digest, size);
}

std::string replace_all(std::string text, const std::string& what, const std::string& with) {
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
  return text;
}

}  // namespace

bool is_uuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

std::string app_name_for(const std::string& user_id) {
  std::string lower = user_id;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return "vyx-user-" + sha256_hex(lower).substr(0, 8);
}

std::string role_name_for(const std::string& app) {
  // The migration's vyx.create_machine_role accepts ^vyx_m_[a-z0-9_]{1,40}$.
  return "vyx_m_" + app.substr(app.size() - 8);
}

provisioner::provisioner(machines_api& api, fly_apps_table& table,
                         std::function<void(const std::string&)> log)
    : api_(api), table_(table), log_(std::move(log)) {}

provision_outcome provisioner::provision(const provision_settings& s) {
  if (!is_uuid(s.user_id)) throw std::runtime_error("--user-id must be a UUID");
  if (s.image.empty()) throw std::runtime_error("--image is required");
  provision_outcome out;
  // 1. The row first: a crash after this leaves 'provisioning' with the app
  //    name a retry will use again.
  out.app = table_.claim({s.user_id, app_name_for(s.user_id), s.org_slug, s.region, s.image,
                          s.cpus, s.memory_mb});
  log_("user_fly_apps: " + out.app + " provisioning");
  try {
    // 2. The app.
    if (api_.app_exists(out.app)) {
      log_("app " + out.app + ": exists");
    } else {
      api_.create_app(out.app, s.org_slug);
      out.created_app = true;
      log_("app " + out.app + ": created in " + s.org_slug);
    }
    // 3. The machine's database role; a retry re-keys it, and the machine
    //    below gets the new password.
    machine_settings machine{out.app, s.region, s.image, s.cpus, s.memory_mb, s.env, s.cmd,
                             s.user_id};
    if (!s.machine_database_url.empty()) {
      const std::string role = role_name_for(out.app);
      const std::string password = random_hex(24);
      table_.ensure_machine_role(s.user_id, role, password);
      machine.env.emplace_back(
          "DATABASE_URL",
          replace_all(replace_all(s.machine_database_url, "{role}", role), "{password}", password));
      log_("database role " + role + ": ready");
    }
    // 4. One machine, "{app}-main": updated in place when it exists.
    const std::string body = machine_request_json(machine);
    const auto machines = api_.list_machines(out.app);
    const auto existing = std::find_if(machines.begin(), machines.end(), [&](const auto& m) {
      return m.name == machine_name(out.app);
    });
    if (existing != machines.end()) {
      out.machine_id = existing->id;
      api_.update_machine(out.app, out.machine_id, body);
      log_("machine " + out.machine_id + ": updated to " + s.image);
    } else {
      out.machine_id = api_.create_machine(out.app, body);
      out.created_machine = true;
      log_("machine " + out.machine_id + ": created in " + s.region);
    }
    // 5. Started, then recorded.
    api_.wait_for(out.app, out.machine_id, "started", s.wait_seconds);
    out.state = "started";
    log_("machine " + out.machine_id + ": started");
    table_.mark_active(s.user_id, s.image);
    log_("user_fly_apps: " + out.app + " active");
  } catch (const std::exception& e) {
    table_.mark_error(s.user_id, e.what());
    throw;
  }
  return out;
}

void provisioner::deprovision(const std::string& user_id) {
  if (!is_uuid(user_id)) throw std::runtime_error("--user-id must be a UUID");
  const auto row = table_.find(user_id);
  const std::string app = row ? row->app : app_name_for(user_id);
  if (row) table_.mark_status(user_id, "deprovisioning");
  try {
    // Machines first (an app with machines cannot be deleted), then the app;
    // both already gone is success.
    if (api_.app_exists(app)) {
      for (const auto& machine : api_.list_machines(app)) {
        api_.delete_machine(app, machine.id);
        log_("machine " + machine.id + ": deleted");
      }
      api_.delete_app(app);
      log_("app " + app + ": deleted");
    } else {
      log_("app " + app + ": already gone");
    }
    table_.drop_machine_role(role_name_for(app));
    log_("database role " + role_name_for(app) + ": dropped");
    if (row) table_.mark_status(user_id, "deleted");
  } catch (const std::exception& e) {
    if (row) table_.mark_error(user_id, e.what());
    throw;
  }
}

bool provisioner::check(const std::string& user_id) {
  if (!is_uuid(user_id)) throw std::runtime_error("--user-id must be a UUID");
  const auto row = table_.find(user_id);
  if (!row) throw std::runtime_error("no user_fly_apps row for this user");
  bool healthy = false;
  std::string detail = "no machine";
  for (const auto& machine : api_.list_machines(row->app)) {
    if (machine.name != machine_name(row->app)) continue;
    const auto current = api_.get_machine(row->app, machine.id);
    healthy = current.state == "started" && current.checks > 0 && current.failing.empty();
    detail = "machine " + current.id + " " + current.state + ", " +
             std::to_string(current.checks - current.failing.size()) + "/" +
             std::to_string(current.checks) + " checks passing";
  }
  table_.mark_health(user_id, healthy);
  log_(row->app + ": " + (healthy ? "healthy" : "unhealthy") + " (" + detail + ")");
  return healthy;
}

}  // namespace vyx::provision
