// The token verifier in process: each way a token can be wrong, for HS256,
// ES256 and RS256, and the forgeries a JWT verifier must refuse.
#include <doctest/doctest.h>

#include <stdexcept>

#include "token_factory.hpp"
#include "vyx/runtime/auth/jwk.hpp"
#include "vyx/runtime/auth/token_verifier.hpp"

namespace {

using namespace vyx::runtime::auth;
using vyx::test::claims;
using vyx::test::key_pair;
using vyx::test::sign_token;
using vyx::test::test_keys;

const std::string verifier_owner = "5b6f2a1e-0000-4000-8000-000000000001";
const std::string verifier_secret = "a-test-jwt-verifier_secret-of-reasonable-length-0123456789";

struct verifier_fixture {
  key_pair ec = test_keys::make("ES256", "ec-1");
  key_pair rsa = test_keys::make("RS256", "rsa-1");
  token_verifier verifier{[&] {
    verifier_config c;
    c.hs256_secret = verifier_secret;
    c.jwks_json = test_keys::jwks({ec, rsa});
    c.owner = verifier_owner;
    c.service_role_key = "service-role-key-text";
    return c;
  }()};

  std::string token(const std::string& alg, const claims& c, const std::string& kid_override = "") {
    if (alg == "HS256") return sign_token(alg, verifier_secret, kid_override, c);
    const key_pair& k = alg == "ES256" ? ec : rsa;
    return sign_token(alg, k.private_pem, kid_override.empty() ? k.kid : kid_override, c);
  }
};

claims claims_of(const std::string& sub) {
  claims c;
  c.sub = sub;
  return c;
}

}  // namespace

TEST_CASE(
    "verifier: valid, expired, not yet valid, wrong audience, other user, for each algorithm") {
  verifier_fixture f;
  CHECK(f.verifier.jwks_key_count() == 2);
  for (const std::string alg : {"HS256", "ES256", "RS256"}) {
    CAPTURE(alg);
    CHECK(f.verifier.verify(f.token(alg, claims_of(verifier_owner))).result == verdict::owner);
    CHECK(f.verifier.verify_header("Bearer " + f.token(alg, claims_of(verifier_owner))).result ==
          verdict::owner);
    CHECK(f.verifier.verify_header("bearer  " + f.token(alg, claims_of(verifier_owner))).result ==
          verdict::owner);

    claims expired = claims_of(verifier_owner);
    expired.exp_in = -3600;
    auto v = f.verifier.verify(f.token(alg, expired));
    CHECK(v.result == verdict::unauthorized);
    CHECK(v.reason == "token expired");

    claims within_skew = claims_of(verifier_owner);
    within_skew.exp_in = -30;  // the default leeway is 60 s
    CHECK(f.verifier.verify(f.token(alg, within_skew)).result == verdict::owner);

    claims early = claims_of(verifier_owner);
    early.nbf_in = 600;
    CHECK(f.verifier.verify(f.token(alg, early)).reason == "token not valid yet");

    claims audience = claims_of(verifier_owner);
    audience.aud = "anon";
    CHECK(f.verifier.verify(f.token(alg, audience)).reason == "wrong token audience");
    claims no_audience = claims_of(verifier_owner);
    no_audience.aud = "";
    CHECK(f.verifier.verify(f.token(alg, no_audience)).result == verdict::unauthorized);

    auto other = f.verifier.verify(f.token(alg, claims_of("someone-else")));
    CHECK(other.result == verdict::forbidden);
    CHECK(other.subject == "someone-else");

    claims service = claims_of("");
    service.role = "service_role";
    service.aud = "";
    CHECK(f.verifier.verify(f.token(alg, service)).result == verdict::service_role);
  }
}

TEST_CASE("verifier: wrong signatures, unknown keys and forged algorithms are refused") {
  verifier_fixture f;
  // Signed by keys the JWKS does not hold, under the JWKS's kids.
  const key_pair other_ec = test_keys::make("ES256", "ec-1");
  const key_pair other_rsa = test_keys::make("RS256", "rsa-1");
  CHECK(f.verifier
            .verify(sign_token("ES256", other_ec.private_pem, "ec-1", claims_of(verifier_owner)))
            .reason == "bad token signature");
  CHECK(f.verifier
            .verify(sign_token("RS256", other_rsa.private_pem, "rsa-1", claims_of(verifier_owner)))
            .reason == "bad token signature");
  CHECK(f.verifier
            .verify(sign_token("HS256", "not-the-verifier_secret", "", claims_of(verifier_owner)))
            .reason == "bad token signature");
  // A kid the set does not have; an ES256 token naming the RSA key.
  CHECK(f.verifier.verify(f.token("ES256", claims_of(verifier_owner), "nope")).result ==
        verdict::unauthorized);
  CHECK(f.verifier.verify(f.token("ES256", claims_of(verifier_owner), "rsa-1")).result ==
        verdict::unauthorized);

  // Algorithm confusion: an HS256 token keyed with a public key's PEM text.
  const auto ec_pem = parse_jwks(test_keys::jwks({f.ec})).at(0).pem;
  token_verifier jwks_only{[&] {
    verifier_config c;
    c.jwks_json = test_keys::jwks({f.ec});
    c.owner = verifier_owner;
    return c;
  }()};
  CHECK(jwks_only.verify(sign_token("HS256", ec_pem, "ec-1", claims_of(verifier_owner))).result ==
        verdict::unauthorized);
  CHECK(f.verifier.verify(sign_token("HS256", ec_pem, "ec-1", claims_of(verifier_owner))).result ==
        verdict::unauthorized);

  // alg "none", a tampered payload, garbage.
  const std::string good = f.token("HS256", claims_of(verifier_owner));
  const auto dot1 = good.find('.'), dot2 = good.rfind('.');
  const std::string none_header = vyx::test::base64url(R"({"alg":"none","typ":"JWT"})");
  CHECK(f.verifier.verify(none_header + good.substr(dot1, dot2 - dot1) + ".").result ==
        verdict::unauthorized);
  const std::string other_payload =
      vyx::test::base64url(R"({"sub":")" + verifier_owner +
                           R"(","aud":"authenticated","exp":9999999999,"role":"service_role"})");
  CHECK(f.verifier.verify(good.substr(0, dot1 + 1) + other_payload + good.substr(dot2)).result ==
        verdict::unauthorized);
  for (const std::string& bad :
       std::vector<std::string>{"", "x", "a.b", "a.b.c", "....", std::string(20000, 'a')})
    CHECK(f.verifier.verify(bad).result == verdict::unauthorized);
  CHECK(f.verifier.verify_header("").reason == "missing bearer token");
  CHECK(f.verifier.verify_header("Basic dXNlcjpwYXNz").result == verdict::unauthorized);
}

TEST_CASE("verifier: the service role key, audience arrays, no keys configured, tiers") {
  verifier_fixture f;
  CHECK(f.verifier.verify("service-role-key-text").result == verdict::service_role);
  CHECK(f.verifier.verify("service-role-key-texT").result == verdict::unauthorized);

  token_verifier nothing{verifier_config{}};
  CHECK_FALSE(nothing.can_verify_users());
  CHECK(nothing.verify(f.token("HS256", claims_of(verifier_owner))).result ==
        verdict::unauthorized);
  CHECK(nothing.verify(f.token("ES256", claims_of(verifier_owner))).result ==
        verdict::unauthorized);

  verifier_config no_owner;
  no_owner.hs256_secret = verifier_secret;
  token_verifier unowned{no_owner};
  CHECK(unowned.verify(f.token("HS256", claims_of(verifier_owner))).result == verdict::forbidden);

  CHECK(same_tier("Elite", "elite"));
  CHECK(same_tier("PRO", "pro"));
  CHECK_FALSE(same_tier("elite", "elite "));
}

TEST_CASE("verifier: a JWKS that is not usable is a clear startup error") {
  auto fails = [](const std::string& jwks) {
    verifier_config c;
    c.jwks_json = jwks;
    CHECK_THROWS_AS(token_verifier{c}, std::runtime_error);
  };
  fails("not json");
  fails(R"({"nokeys":[]})");
  fails(R"({"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"AAAA","y":"AAAA"}]})");
  fails(R"({"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"@@","y":"AAAA"}]})");
  fails(R"({"keys":[{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB"}]})");
  // Unknown key types and encryption keys are skipped, not refused.
  verifier_config c;
  c.jwks_json = R"({"keys":[{"kty":"oct","k":"AAAA"},{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]})";
  token_verifier skipped{c};
  CHECK(skipped.jwks_key_count() == 0);
}
