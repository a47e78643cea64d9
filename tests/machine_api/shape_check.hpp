// Compares a JSON answer with an expected shape from tests/data/machine_api/
// shapes.json: {"<name>": {"<key>": "string|number|boolean|array|object"
// (a trailing "?" = optional)}}. Every required key must be there with its
// type, and every key present must be in the shape (or in `extra`).
#pragma once

#include <simdjson.h>

#include <set>
#include <string>

#include "../runtime/support/temp_dir.hpp"

namespace vyx::test {

inline std::string json_type_of(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY:
      return "array";
    case simdjson::dom::element_type::OBJECT:
      return "object";
    case simdjson::dom::element_type::STRING:
      return "string";
    case simdjson::dom::element_type::BOOL:
      return "boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
    default:
      return "number";
  }
}

// Empty when `json` has the shape `name`; otherwise what differs.
inline std::string shape_mismatch(const std::string& name, const std::string& json,
                                  const std::set<std::string>& extra = {}) {
  static const std::string shapes_text =
      read_file(std::string(VYX_MACHINE_API_DATA) + "/shapes.json");
  simdjson::dom::parser shapes_parser, parser;
  simdjson::dom::object shapes, shape, answer;
  if (shapes_parser.parse(shapes_text).get(shapes) || shapes[name].get(shape))
    return "no shape " + name;
  if (parser.parse(json).get(answer)) return "not a JSON object: " + json;
  std::string problems;
  for (auto [key, type_element] : shape) {
    std::string type(type_element.get_string().value());
    const bool optional = !type.empty() && type.back() == '?';
    if (optional) type.pop_back();
    simdjson::dom::element value;
    if (answer[key].get(value)) {
      if (!optional) problems += "missing " + std::string(key) + "; ";
      continue;
    }
    if (json_type_of(value) != type)
      problems += std::string(key) + " is " + json_type_of(value) + ", not " + type + "; ";
  }
  for (auto [key, value] : answer) {
    simdjson::dom::element ignored;
    if (shape[key].get(ignored) && !extra.count(std::string(key)))
      problems += "unexpected " + std::string(key) + "; ";
  }
  return problems;
}

}  // namespace vyx::test
