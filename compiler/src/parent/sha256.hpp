// SHA-256 (OpenSSL) as lower-case hex, for artifact hashes and the SDK fingerprint.
#pragma once

#include <string>
#include <string_view>

namespace vyx::compiler {

class sha256 {
 public:
  sha256();
  ~sha256();
  sha256(const sha256&) = delete;
  sha256& operator=(const sha256&) = delete;

  void update(std::string_view bytes);
  // A length-prefixed field, so that ("ab", "c") and ("a", "bc") differ.
  void field(std::string_view bytes);
  std::string hex_digest();  // finishes; the object is spent afterwards

 private:
  void* context_;
};

std::string sha256_hex(std::string_view bytes);

}  // namespace vyx::compiler
