// Every #include, #include_next, #import and #embed is refused before the
// preprocessor runs (so no host file is ever opened for it), except the SDK's
// own header, which is already there.
#include "checks/no_include_check.hpp"

#include <clang/Basic/DiagnosticLex.h>

#include "utils/raw_tokens.hpp"

namespace vyx::compiler::checks {

void no_include_check::scan_source(const raw_source& source) {
  const std::vector<raw_token> tokens = lex_raw(source);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string name = directive_at(tokens, i);
    if (name != "include" && name != "include_next" && name != "import" && name != "embed")
      continue;
    // The only allowed form: #include <vyx/trader.hpp> or "vyx/trader.hpp".
    std::string target;
    for (std::size_t j = i + 2; j < tokens.size() && !tokens[j].at_line_start; ++j)
      target += tokens[j].text;
    if (name == "include" && (target == "<vyx/trader.hpp>" || target == "\"vyx/trader.hpp\""))
      continue;
    diag(source.position_of(tokens[i].offset), "'#" + name +
                                                   "' is not allowed: the SDK (vyx/trader.hpp) is "
                                                   "already included and is the only header; "
                                                   "use the vyx:: functions it provides");
  }
}

std::vector<std::pair<unsigned, std::string>> no_include_check::owned_clang_diagnostics() const {
  return {{clang::diag::err_pp_file_not_found,
           "included file not found: only <vyx/trader.hpp> may be included, and it already is"}};
}

}  // namespace vyx::compiler::checks
