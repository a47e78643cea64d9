// Market::klines must get a timeframe the platform streams, written as a
// string literal so that the compiler knows, before running anything, which
// timeframes the plugin needs (they go into its descriptor).
#include "checks/unknown_timeframe_check.hpp"

#include <array>
#include <string_view>

#include "vyx/abi.h"

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

namespace {
#define VYX_CHECK_TIMEFRAME_NAME(id, name, ms) name,
constexpr std::array<std::string_view, VYX_TIMEFRAME_COUNT> known = {
    VYX_TIMEFRAMES(VYX_CHECK_TIMEFRAME_NAME)};
#undef VYX_CHECK_TIMEFRAME_NAME

bool is_known(std::string_view tf) {
  for (std::string_view k : known)
    if (tf == k) return true;
  return false;
}

// "\"1m\", \"5m\", ..." from the ABI's table.
std::string quoted_list() {
  std::string out;
  for (std::string_view k : known) {
    if (!out.empty()) out += ", ";
    out += '"';
    out += k;
    out += '"';
  }
  return out;
}
}  // namespace

void unknown_timeframe_check::scan_source(const raw_source&) {
  // Hinted timeframes have no place in the user's text: reported at the top.
  for (const std::string& tf : hinted_)
    if (!is_known(tf))
      diag(source_position{1, 1},
           "unknown required timeframe \"" + tf + "\"; use one of " + quoted_list());
}

void unknown_timeframe_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasName("klines"), ofClass(hasName("::vyx::Market")))))
          .bind("call"),
      this);
}

void unknown_timeframe_check::run(const MatchFinder::MatchResult& result) {
  const auto* call = result.Nodes.getNodeAs<clang::CXXMemberCallExpr>("call");
  if (call == nullptr || call->getNumArgs() != 1 || !in_user_code(call->getExprLoc())) return;
  const clang::Expr* arg = call->getArg(0)->IgnoreParenImpCasts();
  const auto* literal = llvm::dyn_cast<clang::StringLiteral>(arg);
  if (literal == nullptr || !literal->isOrdinary()) {
    diag(arg->getBeginLoc(), "the timeframe must be a string literal such as \"5m\" (one of " +
                                 quoted_list() + "), so that the compiler can record it");
    return;
  }
  const std::string tf = literal->getString().str();
  if (is_known(tf)) {
    context().facts().timeframes.insert(tf);
    return;
  }
  diag(arg->getBeginLoc(), "unknown timeframe \"" + tf + "\"; use one of " + quoted_list());
}

}  // namespace vyx::compiler::checks
