// Bearer token check for the compile service.
#include "bearer_auth.hpp"

#include <cctype>

namespace vyx::compiler::service {

bool bearer_token_matches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view scheme = "bearer ";
  if (token.empty() || authorization.size() < scheme.size()) return false;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i]) return false;
  std::string_view presented = authorization.substr(scheme.size());
  while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
  while (!presented.empty() && presented.back() == ' ') presented.remove_suffix(1);

  unsigned char difference = presented.size() == token.size() ? 0 : 1;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const unsigned char presented_byte =
        i < presented.size() ? static_cast<unsigned char>(presented[i]) : 0;
    difference |= presented_byte ^ static_cast<unsigned char>(token[i]);
  }
  return difference == 0;
}

}  // namespace vyx::compiler::service
