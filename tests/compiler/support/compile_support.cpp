// The shared compiler and the mark matcher.
#include "support/compile_support.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

namespace vyx::test {

vyx::compiler::compiler& shared_compiler() {
  static vyx::compiler::compiler instance([] {
    vyx::compiler::compiler_options o;
    o.cache_dir = VYX_TEST_CACHE_DIR;
    o.time_limit_seconds = 120;  // the first compile may build the SDK header
    return o;
  }());
  return instance;
}

vyx::compiler::compile_result check_code(const std::string& code) {
  vyx::compiler::compile_request r;
  r.code = code;
  r.file_name = "trader.cpp";
  return shared_compiler().check(r);
}

vyx::compiler::compile_result build_code(const std::string& code, const std::string& name) {
  vyx::compiler::compile_request r;
  r.code = code;
  r.file_name = "trader.cpp";
  r.name = name;
  return shared_compiler().build(r);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void expect_marks(const std::string& code) {
  struct mark {
    int line;
    std::string rule;
    int column = 0;  // 1-based; found from the mark's anchor
    std::string text;
    bool operator<(const mark& o) const { return std::tie(line, rule) < std::tie(o.line, o.rule); }
  };
  std::set<mark> expected;
  std::istringstream lines(code);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    const std::size_t at = line.find("// expect: ");
    if (at == std::string::npos) continue;
    const std::string code_part = line.substr(0, at);
    // rule ids, each with @"anchor" (the diagnostic's column is where the
    // anchor first appears on the line) and optionally a quoted piece of its message
    const std::string rest = line.substr(at + 11);
    auto quoted = [&](std::size_t& i) {
      const std::size_t close = rest.find(rest[i], i + 1);
      std::string piece = rest.substr(i + 1, close - i - 1);
      i = close == std::string::npos ? rest.size() : close + 1;
      return piece;
    };
    std::size_t i = 0;
    while (i < rest.size()) {
      while (i < rest.size() && rest[i] == ' ') ++i;
      if (i >= rest.size()) break;
      std::size_t end = rest.find_first_of(" @", i);
      if (end == std::string::npos) end = rest.size();
      mark m{n, rest.substr(i, end - i), 0, ""};
      i = end;
      // '@' then the anchor in double quotes, or in single quotes when it holds a double quote
      if (i + 1 < rest.size() && rest[i] == '@' && (rest[i + 1] == '"' || rest[i + 1] == '\'')) {
        ++i;
        const std::string anchor = quoted(i);
        const std::size_t column = code_part.find(anchor);
        INFO("line " << n << ": anchor \"" << anchor << "\"");
        REQUIRE(column != std::string::npos);
        m.column = static_cast<int>(column) + 1;
      }
      INFO("line " << n << ": every mark pins its column with @\"anchor\" after the rule id");
      CHECK(m.column > 0);
      while (i < rest.size() && rest[i] == ' ') ++i;
      if (i < rest.size() && rest[i] == '"') m.text = quoted(i);
      expected.insert(m);
    }
  }
  const vyx::compiler::compile_result result = check_code(code);
  std::set<mark> found;
  for (const auto& d : result.diagnostics) {
    INFO("diagnostic: " << d.file << ":" << d.line << ":" << d.column << ": " << d.message << " ["
                        << d.rule << "]");
    CHECK(d.file == "trader.cpp");
    CHECK(d.column >= 1);
    found.insert({d.line, d.rule, d.column, d.message});
  }
  for (const mark& e : expected) {
    auto it = found.find(e);
    INFO("expected " << e.rule << " on line " << e.line);
    REQUIRE(it != found.end());
    CHECK_MESSAGE(it->column == e.column, "column ", it->column, ", expected ", e.column);
    if (!e.text.empty()) CHECK(it->text.find(e.text) != std::string::npos);
  }
  for (const mark& f : found) {
    INFO("unexpected diagnostic on line " << f.line << ": " << f.text << " [" << f.rule << "]");
    CHECK(expected.count(f) == 1);
  }
  CHECK(result.ok == expected.empty());
}

}  // namespace vyx::test
