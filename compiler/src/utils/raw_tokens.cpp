// Raw lexing of the user's text with clang's Lexer in raw mode.
#include "utils/raw_tokens.hpp"

#include <clang/Basic/LangOptions.h>
#include <clang/Lex/Lexer.h>

namespace vyx::compiler::checks {

std::vector<raw_token> lex_raw(const raw_source& source) {
  clang::LangOptions lang;
  lang.CPlusPlus = lang.CPlusPlus11 = lang.CPlusPlus14 = lang.CPlusPlus17 = lang.CPlusPlus20 = true;
  lang.LineComment = true;
  lang.Digraphs = true;
  const char* begin = source.text.data();
  const char* end = begin + source.text.size();
  // Raw lexing needs no SourceManager; locations are then plain offsets from
  // a base we choose, which is all the rules need.
  const clang::SourceLocation base = clang::SourceLocation::getFromRawEncoding(1);
  clang::Lexer lexer(base, lang, begin, begin, end);
  std::vector<raw_token> out;
  clang::Token token;
  while (true) {
    const bool last = lexer.LexFromRawLexer(token);
    if (token.is(clang::tok::eof)) break;
    raw_token t;
    t.offset = token.getLocation().getRawEncoding() - 1;
    t.at_line_start = token.isAtStartOfLine();
    t.text.assign(begin + t.offset, token.getLength());
    if (token.is(clang::tok::raw_identifier))
      t.what = raw_token::kind::identifier;
    else if (token.is(clang::tok::hash) || token.is(clang::tok::hashhash))
      t.what = raw_token::kind::hash;
    else if (clang::tok::isStringLiteral(token.getKind()) || token.is(clang::tok::header_name) ||
             token.is(clang::tok::less))
      t.what =
          token.is(clang::tok::less) ? raw_token::kind::other : raw_token::kind::string_literal;
    out.push_back(std::move(t));
    if (last) break;
  }
  return out;
}

std::string directive_at(const std::vector<raw_token>& tokens, std::size_t i) {
  if (i + 1 >= tokens.size() || tokens[i].what != raw_token::kind::hash || !tokens[i].at_line_start)
    return {};
  if (tokens[i].text != "#" && tokens[i].text != "%:") return {};
  const raw_token& name = tokens[i + 1];
  if (name.at_line_start || name.what != raw_token::kind::identifier) return {};
  return name.text;
}

}  // namespace vyx::compiler::checks
