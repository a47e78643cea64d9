// The Ed25519 primitives: what verifies, and everything that must not.
#include <doctest/doctest.h>

#include <fstream>

#include "vyx/common/artifact_signature.hpp"

using namespace vyx::common;

namespace {
const std::string hash_a(64, 'a');
const std::string hash_b(64, 'b');
const std::string digest(64, 'c');
}  // namespace

TEST_CASE("a signature verifies for its hash and bytes only") {
  const auto key = signing_key::generate();
  std::string error;
  auto verifier = verify_key::parse(key.public_key_base64(), error);
  REQUIRE_MESSAGE(verifier, error);
  CHECK(verifier->key_id().size() == 16);
  const auto signature = key.sign(artifact_signing_message(hash_a, digest));
  CHECK(signature.size() == 88);  // 64 bytes of base64
  CHECK(verifier->verify(artifact_signing_message(hash_a, digest), signature));
  CHECK_FALSE(verifier->verify(artifact_signing_message(hash_b, digest), signature));
  CHECK_FALSE(verifier->verify(artifact_signing_message(hash_a, std::string(64, 'd')), signature));

  // Another key's signature, a flipped character, garbage, nothing.
  const auto other = signing_key::generate();
  CHECK_FALSE(verifier->verify(artifact_signing_message(hash_a, digest),
                               other.sign(artifact_signing_message(hash_a, digest))));
  std::string flipped = signature;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  CHECK_FALSE(verifier->verify(artifact_signing_message(hash_a, digest), flipped));
  CHECK_FALSE(verifier->verify(artifact_signing_message(hash_a, digest), "not base64!"));
  CHECK_FALSE(verifier->verify(artifact_signing_message(hash_a, digest), ""));
  CHECK_FALSE(verifier->verify(artifact_signing_message(hash_a, digest), signature.substr(0, 44)));
}

TEST_CASE("keys round-trip through PEM, then bad key text is refused with a clear error") {
  const auto key = signing_key::generate();
  const auto again = signing_key::from_pem(key.private_pem());
  CHECK(again.public_key_base64() == key.public_key_base64());
  CHECK_THROWS_WITH_AS(signing_key::from_pem("-----BEGIN PRIVATE KEY-----\nxx\n"),
                       "the signing key is not a PEM private key", std::runtime_error);
  CHECK_THROWS_AS(signing_key::from_pem_file("/nonexistent/key.pem"), std::runtime_error);

  std::string error;
  CHECK_FALSE(verify_key::parse("", error));
  CHECK(error.find("neither 32 bytes of base64 nor a PEM public key") != std::string::npos);
  CHECK_FALSE(verify_key::parse("AAAA", error));  // base64, but 3 bytes
  CHECK_FALSE(verify_key::parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                                error));
  // Surrounding whitespace (a pasted secret) is fine.
  CHECK(verify_key::parse("  " + key.public_key_base64() + "\n", error));
}

TEST_CASE("file digests are SHA-256 of the bytes, then an unreadable file has none") {
  const auto path = std::filesystem::temp_directory_path() / "vyx-artifacts-digest-test";
  std::ofstream(path) << "abc";
  CHECK(file_sha256_hex(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::filesystem::remove(path);
  CHECK(file_sha256_hex(path).empty());
}
