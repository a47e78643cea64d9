// `vyxc keygen --out KEY.pem`: a new Ed25519 key for signing artifacts. The
// private key goes only to the file (mode 0600, never overwritten); stdout
// gets the public key, the one value machines need.
#include "keygen_command.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include "vyx/common/artifact_signature.hpp"

namespace vyx::compiler {

using common::signing_key;

int keygen_command(int argc, char** argv) {
  std::string out;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg == "--out" || arg == "-o") && i + 1 < argc) {
      out = argv[++i];
    } else if (arg == "--help" || arg == "-h") {
      std::printf(
          "usage: vyxc keygen --out KEY.pem\n"
          "Writes a new Ed25519 private key (PKCS#8 PEM, mode 0600) for `vyxc serve "
          "--signing-key`\nand prints VYX_ARTIFACT_PUBLIC_KEY=<base64>, the machines' setting.\n");
      return 0;
    } else if (arg != "keygen") {
      std::fprintf(stderr, "vyxc keygen: unknown argument '%s' (usage: vyxc keygen --out KEY.pem)\n",
                   argv[i]);
      return 2;
    }
  }
  if (out.empty()) {
    std::fprintf(stderr, "vyxc keygen: --out KEY.pem is required\n");
    return 2;
  }
  try {
    const signing_key key = signing_key::generate();
    const std::string pem = key.private_pem();
    // O_EXCL: an existing key is never replaced by accident.
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      std::fprintf(stderr, "vyxc keygen: cannot create %s: %s\n", out.c_str(), std::strerror(errno));
      return 2;
    }
    const bool written = ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size());
    if (::close(fd) != 0 || !written) {
      std::fprintf(stderr, "vyxc keygen: cannot write %s\n", out.c_str());
      ::unlink(out.c_str());
      return 2;
    }
    std::printf("VYX_ARTIFACT_PUBLIC_KEY=%s\n", key.public_key_base64().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vyxc keygen: %s\n", e.what());
    return 2;
  }
}

}  // namespace vyx::compiler
