#include "parent/limit_position.hpp"

#include <cctype>

#include "protocol/user_source.hpp"

namespace vyx::compiler {
namespace {

// Reads the digits at `at`, moving past them; 0 when there are none.
int read_number(const std::string& text, std::size_t& at) {
  int value = 0;
  bool any = false;
  while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) && value < 1'000'000) {
    value = value * 10 + (text[at++] - '0');
    any = true;
  }
  return any ? value : 0;
}

// Clang's words quote the user's tokens: kept to short printable ASCII for a
// message (a string literal can be long, or not UTF-8).
std::string printable(const std::string& words) {
  constexpr std::size_t longest = 120;
  std::string out;
  for (const char c : words) {
    if (out.size() == longest) {
      out += "...";
      break;
    }
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

}  // namespace

std::optional<limit_position> find_limit_position(const std::string& last_words) {
  const std::string prefix = std::string(user_source_path) + ":";
  for (std::size_t at = last_words.find(prefix); at != std::string::npos;
       at = last_words.find(prefix, at + 1)) {
    std::size_t cursor = at + prefix.size();
    limit_position p;
    p.line = read_number(last_words, cursor);
    if (p.line == 0 || cursor >= last_words.size() || last_words[cursor] != ':') continue;
    ++cursor;
    p.column = read_number(last_words, cursor);
    if (p.column == 0) continue;
    // A macro's location reads "<expansion> <Spelling=...>": the words follow.
    const std::size_t end = last_words.find('\n', cursor);
    const std::string rest = last_words.substr(cursor, end == std::string::npos ? std::string::npos : end - cursor);
    if (const std::size_t words = rest.find(": "); words != std::string::npos)
      p.activity = printable(rest.substr(words + 2));
    return p;
  }
  return std::nullopt;
}

}  // namespace vyx::compiler
