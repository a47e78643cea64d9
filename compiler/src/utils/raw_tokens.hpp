// The user's text as raw tokens (clang's raw lexer: no preprocessing, no
// files opened), for the rules that must run before the preprocessor does.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "utils/check_context.hpp"

namespace vyx::compiler::checks {

struct raw_token {
  enum class kind { identifier, hash, string_literal, other };
  kind what = kind::other;
  std::string text;
  std::size_t offset = 0;
  bool at_line_start = false;
};

std::vector<raw_token> lex_raw(const raw_source& source);

// The directive name after a '#' at the start of a line ("include", "pragma"
// ...), with the index of its token; empty when tokens[i] starts no directive.
std::string directive_at(const std::vector<raw_token>& tokens, std::size_t i);

}  // namespace vyx::compiler::checks
