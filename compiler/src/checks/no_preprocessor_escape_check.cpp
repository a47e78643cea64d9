// Refuses, on the raw text: #pragma and _Pragma (they change code generation
// or diagnostics), #line (it would move diagnostics off the user's lines),
// #ident/#sccs/#assert, __has_include (it probes host files), the macros that
// leak host paths or build times, and #define/#undef of keywords, reserved
// names and the SDK's own macros.
#include "checks/no_preprocessor_escape_check.hpp"

#include <clang/Basic/IdentifierTable.h>
#include <clang/Basic/LangOptions.h>

#include <array>
#include <string_view>

#include "utils/raw_tokens.hpp"

namespace vyx::compiler::checks {
namespace {

bool is_keyword(const std::string& name) {
  clang::LangOptions lang;
  lang.CPlusPlus = lang.CPlusPlus11 = lang.CPlusPlus14 = lang.CPlusPlus17 = lang.CPlusPlus20 = true;
  lang.Bool = true;
  lang.GNUKeywords = true;
  clang::IdentifierTable table(lang);
  return table.get(name).getTokenID() != clang::tok::identifier;
}

bool is_reserved(const std::string& name) {
  if (name.size() >= 2 && name[0] == '_' && (name[1] == '_' || (name[1] >= 'A' && name[1] <= 'Z')))
    return true;
  return name.rfind("VYX_", 0) == 0 || name == "vyx" || name == "filter" || name == "series" ||
         name == "defined";
}

constexpr std::array<std::string_view, 8> host_probes = {
    "__has_include", "__has_include_next", "_Pragma",       "__pragma",
    "__FILE__",      "__BASE_FILE__",      "__FILE_NAME__", "__TIMESTAMP__"};
constexpr std::array<std::string_view, 2> build_clock = {"__DATE__", "__TIME__"};

}  // namespace

void no_preprocessor_escape_check::scan_source(const raw_source& source) {
  const std::vector<raw_token> tokens = lex_raw(source);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const raw_token& t = tokens[i];
    const std::string name = directive_at(tokens, i);
    if (name == "pragma") {
      diag(source.position_of(t.offset),
           "'#pragma' is not allowed: it changes how the code is compiled; remove it");
    } else if (name == "line") {
      diag(source.position_of(t.offset),
           "'#line' is not allowed: diagnostics must point at your real lines; remove it");
    } else if (name == "ident" || name == "sccs" || name == "assert" || name == "unassert") {
      diag(source.position_of(t.offset), "'#" + name + "' is not allowed; remove it");
    } else if ((name == "define" || name == "undef") && i + 2 < tokens.size() &&
               !tokens[i + 2].at_line_start) {
      const std::string& macro = tokens[i + 2].text;
      if (is_keyword(macro) || is_reserved(macro))
        diag(source.position_of(tokens[i + 2].offset),
             "'#" + name + " " + macro +
                 "' redefines a keyword or a reserved name; pick another name (or use a constexpr "
                 "variable)");
    }
    if (t.what != raw_token::kind::identifier) continue;
    for (std::string_view probe : host_probes)
      if (t.text == probe)
        diag(source.position_of(t.offset),
             "'" + t.text + "' is not allowed: it reaches outside your code; remove it");
    for (std::string_view clock : build_clock)
      if (t.text == clock)
        diag(source.position_of(t.offset),
             "'" + t.text +
                 "' is not allowed: builds must not depend on the build time; use m.now_ms()");
  }
}

}  // namespace vyx::compiler::checks
