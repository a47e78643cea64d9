// A small streaming JSON writer for every JSON we write (the compiler's CLI
// and service, the runtime's outputs): commas and escaping handled in one
// place so no caller can emit malformed JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vyx::common {

class json_writer {
 public:
  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  // Inside an object: the next value's key.
  json_writer& key(std::string_view name);

  json_writer& value(std::string_view text);
  json_writer& value(const char* text) { return value(std::string_view(text)); }
  json_writer& value(bool flag);
  json_writer& value(std::int64_t number);
  json_writer& value(std::uint64_t number);
  json_writer& value(int number) { return value(static_cast<std::int64_t>(number)); }
  // Non-finite numbers have no JSON form: they are written as null.
  json_writer& value(double number);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();

  std::string out_;
  // One entry per open container: true until its first element is written.
  std::vector<bool> first_;
  bool after_key_ = false;
};

// Appends `text` as a quoted JSON string. Invalid UTF-8 sequences become
// U+FFFD so a response is valid JSON whatever a diagnostic quotes.
void append_json_string(std::string& out, std::string_view text);

}  // namespace vyx::common
