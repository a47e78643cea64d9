// The line-based text records the compiler passes between processes and
// keeps on disk: one record per line, fields separated by tabs; tabs,
// newlines and backslashes inside a field are escaped.
#pragma once

#include <string>
#include <vector>

namespace vyx::compiler {

std::string escape_field(const std::string& field);
std::string unescape_field(const std::string& field);
// A line's fields, unescaped.
std::vector<std::string> split_fields(const std::string& line);

}  // namespace vyx::compiler
