// The common JSON writer: every string it writes is valid JSON, whatever bytes a
// diagnostic quotes.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "vyx/common/json_writer.hpp"

using vyx::common::json_writer;

TEST_CASE("the JSON writer separates members and elements") {
  json_writer json;
  json.begin_object();
  json.key("a").value(1);
  json.key("b").begin_array().value(true).value("x").begin_object().end_object().end_array();
  json.key("c").value(std::uint64_t{18446744073709551615u});
  json.end_object();
  CHECK(json.str() == R"({"a":1,"b":[true,"x",{}],"c":18446744073709551615})");
}

TEST_CASE("the JSON writer escapes quotes, backslashes and control characters") {
  json_writer json;
  json.value("say \"hi\"\\\n\t\r\x01 end");
  CHECK(json.str() == R"("say \"hi\"\\\n\t\r\u0001 end")");
}

TEST_CASE("invalid UTF-8 becomes U+FFFD, valid UTF-8 passes through") {
  json_writer json;
  json.begin_array();
  json.value("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x88");  // é € 📈
  json.value("\xFF|\xC3|\xE0\x80\xAF|\xED\xA0\x80");        // stray, truncated, overlong, surrogate
  json.end_array();
  CHECK(json.str() ==
        "[\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x88\","
        "\"\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|"
        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"]");
}

TEST_CASE("non-finite numbers are written as null") {
  json_writer json;
  json.begin_array();
  json.value(std::numeric_limits<double>::quiet_NaN());
  json.value(std::numeric_limits<double>::infinity());
  json.value(0.25);
  json.end_array();
  CHECK(json.str() == "[null,null,0.25]");
}
