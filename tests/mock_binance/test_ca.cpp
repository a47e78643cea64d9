// A throw-away certificate authority for TLS tests, made with the openssl command.
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "mock_binance.hpp"

namespace vyx::mock {

test_ca make_test_ca(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  test_ca ca{dir / "ca.pem", dir / "server.pem", dir / "server.key"};
  const std::string d = dir.string();
  std::ofstream(dir / "san.cnf") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                    "basicConstraints=CA:FALSE\n";
  const std::string script =
      "cd '" + d + "' && "
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=vyx test CA' "
      "-keyout ca.key -out ca.pem && "
      "openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout server.key "
      "-out server.csr && "
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
      "-extfile san.cnf -out server.pem";
  if (std::system(("(" + script + ") >/dev/null 2>&1").c_str()) != 0)
    throw std::runtime_error("openssl could not make a test CA in " + d);
  return ca;
}

}  // namespace vyx::mock
