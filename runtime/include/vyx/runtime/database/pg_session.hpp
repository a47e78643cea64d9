// One Postgres connection from a libpq URI (DATABASE_URL) that reconnects
// with backoff and runs each unit of work as one transaction under a
// statement timeout. Only unnamed parameterised statements (exec_params)
// and SET LOCAL: it works through a transaction pooler (Supabase's 6543,
// PgBouncer), where named prepared statements and session state do not.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace vyx::runtime {

struct pg_options {
  // postgresql://user:password@host:port/db?sslmode=verify-full&sslrootcert=ca.pem
  // (libpq verifies the server's certificate and name when the URL asks for it).
  std::string url;
  std::chrono::milliseconds statement_timeout{10000};
  std::chrono::seconds connect_timeout{10};  // added to the URL unless it sets one
  std::chrono::milliseconds backoff_min{100}, backoff_max{30000};
  std::string application_name = "vyx";
};

// Why a unit of work failed: the connection or server (retry later, same
// data), or the data itself (retrying the same rows will fail again).
enum class pg_failure { none, transient, data };

// The URL with connect_timeout and application_name added when it has none.
std::string pg_effective_url(const pg_options& options);
// The URL with any password replaced by "***", for logs.
std::string pg_redacted_url(const std::string& url);

class pg_session {
 public:
  explicit pg_session(pg_options options);
  ~pg_session();
  pg_session(const pg_session&) = delete;
  pg_session& operator=(const pg_session&) = delete;

  // Runs `work` in one transaction (connecting first when needed) and
  // commits. Never throws: a failure is classified and described in
  // `error`; a broken connection is dropped, and after a transient failure
  // the next attempt waits out an exponential backoff (retry_in() says how
  // long is left; until then transact fails at once without a round trip).
  pg_failure transact(const std::function<void(pqxx::transaction_base&)>& work,
                      std::string& error);
  bool connected() const;
  std::chrono::milliseconds retry_in() const;
  void disconnect();

 private:
  bool connect_(std::string& error);
  void failed_(bool drop_connection);

  pg_options options_;
  std::string url_;
  struct connection_holder;  // the pqxx connection, kept out of this header
  std::unique_ptr<connection_holder> connection_;
  std::chrono::milliseconds backoff_{0};
  std::chrono::steady_clock::time_point next_attempt_{};
};

}  // namespace vyx::runtime
