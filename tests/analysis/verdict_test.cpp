// The model's output is untrusted: only the exact shape is accepted.
#include <doctest/doctest.h>

#include "vyx/runtime/analysis/analysis_job.hpp"
#include "vyx/runtime/analysis/analysis_verdict.hpp"

using namespace vyx::runtime;

TEST_CASE("verdict: a well-formed answer is read, with or without a Markdown fence") {
  analysis_verdict v;
  std::string error;
  REQUIRE(parse_verdict(R"({"decision":"enter_trade","confidence":82,"reasoning":"trend and volume agree"})", v, error));
  CHECK(v.decision == analysis_decision::enter_trade);
  CHECK(v.confidence == 82);
  CHECK(v.reasoning == "trend and volume agree");
  REQUIRE(parse_verdict("```json\n{\"reasoning\":\"r\",\"decision\":\"wait\",\"confidence\":0}\n```", v, error));
  CHECK(v.decision == analysis_decision::wait);
  CHECK(v.confidence == 0);
  REQUIRE(parse_verdict(" {\"decision\":\"bad_setup\",\"confidence\":100.0,\"reasoning\":\"\"} ", v, error));
  CHECK(v.decision == analysis_decision::bad_setup);
  CHECK(v.confidence == 100);
}

TEST_CASE("verdict: malformed answers are refused with a reason") {
  const char* bad[] = {
      "Sure! I think you should enter the trade.",                                      // not JSON
      R"({"decision":"buy","confidence":50,"reasoning":"r"})",                          // wrong enum
      R"({"decision":"wait","confidence":140,"reasoning":"r"})",                        // out of range
      R"({"decision":"wait","confidence":-1,"reasoning":"r"})",
      R"({"decision":"wait","confidence":50.5,"reasoning":"r"})",                       // not whole
      R"({"decision":"wait","confidence":"50","reasoning":"r"})",                       // a string
      R"({"decision":"wait","confidence":50,"reasoning":"r","stop_loss":1.5})",         // extra field
      R"({"decision":"wait","decision":"enter_trade","confidence":50,"reasoning":"r"})",  // repeated
      R"({"decision":"wait","confidence":50})",                                         // missing
      R"([{"decision":"wait","confidence":50,"reasoning":"r"}])",                       // not an object
      R"({"decision":"wait","confidence":50,"reasoning":"r"} trailing)",
      "```json\n{\"decision\":\"wait\",\"confidence\":50,\"reasoning\":\"r\"}",        // unclosed fence
      R"({"decision":null,"confidence":50,"reasoning":"r"})",
      "",
  };
  for (const char* text : bad) {
    CAPTURE(text);
    analysis_verdict v;
    std::string error;
    CHECK_FALSE(parse_verdict(text, v, error));
    CHECK_FALSE(error.empty());
  }
  analysis_verdict v;
  std::string error;
  const std::string long_reasoning(max_reasoning_bytes + 1, 'x');
  CHECK_FALSE(parse_verdict("{\"decision\":\"wait\",\"confidence\":5,\"reasoning\":\"" + long_reasoning + "\"}", v, error));
}

TEST_CASE("completion envelope: the first choice's message content, else an error") {
  std::string content, error;
  REQUIRE(read_completion_content(
      R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"hello"}}]})", content, error));
  CHECK(content == "hello");
  CHECK_FALSE(read_completion_content(R"({"choices":[]})", content, error));
  CHECK_FALSE(read_completion_content(R"({"error":{"message":"overloaded"}})", content, error));
  CHECK_FALSE(read_completion_content(R"({"choices":[{"message":{"content":null}}]})", content, error));
  CHECK_FALSE(read_completion_content("<html>502</html>", content, error));
}

TEST_CASE("tier: only Elite owners are analysed, compared case-insensitively") {
  CHECK(tier_allows_analysis("elite"));
  CHECK(tier_allows_analysis("Elite"));
  CHECK(tier_allows_analysis("ELITE"));
  CHECK_FALSE(tier_allows_analysis("pro"));
  CHECK_FALSE(tier_allows_analysis("free"));
  CHECK_FALSE(tier_allows_analysis(""));
  CHECK_FALSE(tier_allows_analysis("elites"));
  CHECK_FALSE(eligible_for_analysis({"u", "elite", false, ""}));
  CHECK(eligible_for_analysis({"u", "Elite", true, ""}));
}
