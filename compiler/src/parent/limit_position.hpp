// Where a compile limit stopped clang, read from the compile child's last
// words (compile_child.hpp): the first place in the user's file that clang's
// pretty stack trace names, and what clang was doing there.
#pragma once

#include <optional>
#include <string>

namespace vyx::compiler {

struct limit_position {
  int line = 1;
  int column = 1;
  std::string activity;  // clang's words, e.g. "current parser token 'A40'"
};

std::optional<limit_position> find_limit_position(const std::string& last_words);

}  // namespace vyx::compiler
