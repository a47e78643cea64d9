// Every trader example of docs/writing-traders.md goes through `vyxc check`:
// a block fenced as ```cpp trader or ```go trader must be accepted, one fenced
// as ```cpp refused RULE (or go) must be refused with that rule, so the guide
// can never show code the compiler treats otherwise.
#include <doctest/doctest.h>

#include <sstream>

#include "command_runner.hpp"

using namespace vyx::test;

namespace {

struct guide_example {
  std::size_t line = 0;       // of the opening fence
  std::string language;       // cpp or go
  std::string expected_rule;  // empty: must be accepted
  std::string code;
};

// The fenced blocks whose info string is "<lang> trader" or "<lang> refused <rule>".
std::vector<guide_example> trader_examples(const std::string& markdown) {
  std::vector<guide_example> examples;
  std::istringstream in(markdown);
  std::string line;
  std::size_t number = 0;
  guide_example* open = nullptr;
  bool other_fence = false;
  while (std::getline(in, line)) {
    ++number;
    if (open) {
      if (line.rfind("```", 0) == 0)
        open = nullptr;
      else
        open->code += line + "\n";
      continue;
    }
    if (line.rfind("```", 0) != 0) continue;
    if (other_fence) {  // the end of a block that is not a trader (a shell session...)
      other_fence = false;
      continue;
    }
    std::istringstream info(line.substr(3));
    guide_example e;
    std::string kind;
    info >> e.language >> kind >> e.expected_rule;
    if ((e.language == "cpp" || e.language == "go") && (kind == "trader" || kind == "refused")) {
      e.line = number;
      examples.push_back(e);
      open = &examples.back();
    } else {
      other_fence = true;
    }
  }
  return examples;
}

}  // namespace

TEST_CASE(
    "every trader example of the guide is accepted, every refused one refused with its rule") {
  const std::string guide = read_file(VYX_GUIDE);
  REQUIRE(!guide.empty());
  const auto examples = trader_examples(guide);
  // The guide's examples: the dialect, Go bodies and the diagnostics section's refusals.
  REQUIRE(examples.size() >= 8);
  std::size_t accepted = 0, refused = 0;
  temp_dir dir;
  for (const auto& e : examples) {
    CAPTURE(e.line);
    const auto file = dir / ("example_" + std::to_string(e.line) + "." + e.language);
    write_file(file, e.code);
    auto r = run_command({VYXC_COMMAND, "check", file.string()}, dir);
    if (e.expected_rule.empty()) {
      CHECK_MESSAGE(r.exit_code == 0, "docs/writing-traders.md:" << e.line << ": " << r.err);
      ++accepted;
    } else {
      CHECK_MESSAGE(r.exit_code == 1, "docs/writing-traders.md:" << e.line << ": " << r.err);
      CHECK_MESSAGE(r.err.find("[" + e.expected_rule + "]") != std::string::npos,
                    "docs/writing-traders.md:" << e.line << ": expected [" << e.expected_rule
                                               << "]: " << r.err);
      ++refused;
    }
  }
  CHECK(accepted >= 4);
  CHECK(refused >= 3);
}
