// TLS as the URL asks: with sslmode=verify-full the server's certificate must
// chain to the given CA and name the host, or no connection is made.
#include <doctest/doctest.h>

#include "pg_cluster.hpp"
#include "vyx/runtime/database/pg_session.hpp"

#include <fstream>
#include <pqxx/pqxx>

using namespace vyx::test;
using namespace vyx::runtime;
namespace fs = std::filesystem;

namespace {

// A CA and a server certificate for 127.0.0.1, made with the openssl tool
// (as the server's user, so the key's owner and mode suit PostgreSQL).
void make_certificates(const fs::path& dir, const std::string& name) {
  const fs::path log = dir / "openssl.log";
  const std::string ca = (dir / (name + "-ca")).string();
  const std::string server = (dir / (name + "-server")).string();
  REQUIRE(run_program({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                       "2", "-subj", "/CN=vyx test CA " + name, "-keyout", ca + ".key", "-out",
                       ca + ".crt"},
                      log) == 0);
  REQUIRE(run_program({"/usr/bin/openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj",
                       "/CN=127.0.0.1", "-keyout", server + ".key", "-out", server + ".csr"},
                      log) == 0);
  std::ofstream(dir / (name + "-ext.cnf")) << "subjectAltName=IP:127.0.0.1\n";
  REQUIRE(run_program({"/usr/bin/openssl", "x509", "-req", "-in", server + ".csr", "-CA",
                       ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial", "-days", "2",
                       "-extfile", (dir / (name + "-ext.cnf")).string(), "-out", server + ".crt"},
                      log) == 0);
  REQUIRE(run_program({"/bin/chmod", "600", server + ".key"}, log) == 0);  // PostgreSQL insists
}

pg_failure try_select(const std::string& url, std::string& error) {
  pg_options options;
  options.url = url;
  pg_session session(options);
  return session.transact([](pqxx::transaction_base& t) { t.exec("SELECT 1"); }, error);
}

}  // namespace

TEST_CASE("sslmode=verify-full: the right CA connects over TLS, a wrong CA or no TLS does not") {
  pg_cluster cluster;
  const std::string plain_url = cluster.url() + "?sslmode=verify-full&sslrootcert=" +
                                (cluster.dir() / "good-ca.crt").string();
  std::string error;
  // The server without TLS: verify-full refuses to fall back to plain text.
  make_certificates(cluster.dir(), "good");
  make_certificates(cluster.dir(), "other");
  CHECK(try_select(plain_url, error) == pg_failure::transient);
  CHECK(error.find("SSL") != std::string::npos);

  cluster.exec("ALTER SYSTEM SET ssl_cert_file = '" +
               (cluster.dir() / "good-server.crt").string() + "'");
  cluster.exec("ALTER SYSTEM SET ssl_key_file = '" + (cluster.dir() / "good-server.key").string() +
               "'");
  cluster.exec("ALTER SYSTEM SET ssl = on");
  cluster.exec("SELECT pg_reload_conf()");
  REQUIRE(cluster.query_value("SHOW ssl") == "on");
  error.clear();
  CHECK_MESSAGE(try_select(plain_url, error) == pg_failure::none, error);
  pqxx::connection tls(plain_url);
  pqxx::nontransaction t(tls);
  CHECK(t.exec("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")[0][0].as<bool>());

  error.clear();
  CHECK(try_select(cluster.url() + "?sslmode=verify-full&sslrootcert=" +
                       (cluster.dir() / "other-ca.crt").string(),
                   error) == pg_failure::transient);
  CHECK(error.find("certificate verify failed") != std::string::npos);
}
