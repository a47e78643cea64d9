// pg_session: connect, reconnect with backoff, one transaction per unit of work.
#include "vyx/runtime/database/pg_session.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>
#include <random>

namespace vyx::runtime {

struct pg_session::connection_holder {
  explicit connection_holder(const std::string& url) : connection(url) {}
  pqxx::connection connection;
};

namespace {

bool has_parameter(const std::string& url, const std::string& name) {
  const auto query = url.find('?');
  if (query == std::string::npos) return false;
  for (std::size_t at = query; (at = url.find(name + "=", at)) != std::string::npos; ++at)
    if (url[at - 1] == '?' || url[at - 1] == '&') return true;
  return false;
}

// SQLSTATE classes where the same rows will fail again: data exceptions,
// integrity violations, and insufficient privilege (RLS refusing a row).
pg_failure classify(const pqxx::sql_error& e) {
  const std::string state = e.sqlstate();
  if (state.rfind("22", 0) == 0 || state.rfind("23", 0) == 0 || state == "42501")
    return pg_failure::data;
  return pg_failure::transient;
}

}  // namespace

std::string pg_effective_url(const pg_options& options) {
  std::string url = options.url;
  const bool uri = url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0;
  auto add = [&](const std::string& name, const std::string& value) {
    if (uri) {
      if (has_parameter(url, name)) return;
      url += (url.find('?') == std::string::npos ? '?' : '&') + name + "=" + value;
    } else if (url.find(name + "=") == std::string::npos) {
      url += " " + name + "=" + value;
    }
  };
  add("connect_timeout", std::to_string(options.connect_timeout.count()));
  add("application_name", options.application_name);
  return url;
}

std::string pg_redacted_url(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

pg_session::pg_session(pg_options options)
    : options_(std::move(options)), url_(pg_effective_url(options_)) {}

pg_session::~pg_session() = default;

bool pg_session::connected() const {
  return connection_ && connection_->connection.is_open();
}

void pg_session::disconnect() {
  connection_.reset();
}

std::chrono::milliseconds pg_session::retry_in() const {
  // Rounded up: a caller that sleeps this long finds the backoff over.
  auto left = std::chrono::ceil<std::chrono::milliseconds>(
      next_attempt_ - std::chrono::steady_clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

void pg_session::failed_(bool drop_connection) {
  if (drop_connection) connection_.reset();
  // Exponential backoff with jitter, so machines do not reconnect in lockstep.
  backoff_ = backoff_.count() == 0 ? options_.backoff_min
                                   : std::min(backoff_ * 2, options_.backoff_max);
  static thread_local std::minstd_rand random(std::random_device{}());
  const auto jitter = std::chrono::milliseconds(random() % (backoff_.count() / 4 + 1));
  next_attempt_ = std::chrono::steady_clock::now() + backoff_ + jitter;
}

bool pg_session::connect_(std::string& error) {
  if (std::chrono::steady_clock::now() < next_attempt_) {
    error = "backing off after a failure (next attempt in " + std::to_string(retry_in().count()) +
            " ms)";
    return false;
  }
  if (connected()) return true;
  try {
    connection_ = std::make_unique<connection_holder>(url_);
    return true;
  } catch (const std::exception& e) {
    error = std::string("cannot connect to ") + pg_redacted_url(options_.url) + ": " + e.what();
    failed_(true);
    return false;
  }
}

pg_failure pg_session::transact(const std::function<void(pqxx::transaction_base&)>& work,
                                std::string& error) {
  if (!connect_(error)) return pg_failure::transient;
  try {
    pqxx::work transaction(connection_->connection);
    transaction.exec("SET LOCAL statement_timeout = " +
                     std::to_string(options_.statement_timeout.count()));
    work(transaction);
    transaction.commit();
    backoff_ = std::chrono::milliseconds(0);
    return pg_failure::none;
  } catch (const pqxx::broken_connection& e) {
    error = e.what();
  } catch (const pqxx::in_doubt_error& e) {
    // The commit may or may not have happened: the caller keeps its rows and
    // sends them again; idempotent keys make the second write a no-op.
    error = std::string("commit in doubt: ") + e.what();
  } catch (const pqxx::sql_error& e) {
    error = e.what();
    const pg_failure failure = connected() ? classify(e) : pg_failure::transient;
    // A statement timeout or a server shutting down: wait before the next try.
    if (failure == pg_failure::transient) failed_(!connected());
    return failure;
  } catch (const std::exception& e) {
    error = e.what();
  }
  failed_(true);
  return pg_failure::transient;
}

}  // namespace vyx::runtime
