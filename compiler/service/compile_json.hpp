// The JSON of POST /v1/compile: request parsing (simdjson) with precise
// errors, and the response built from a compile_result.
#pragma once

#include <string>
#include <string_view>

#include "vyx/compiler/compiler.hpp"

namespace vyx::compiler::service {

// Why a request body was refused: the HTTP status and the error object's fields.
struct request_error {
  unsigned status = 0;  // 0: no error
  std::string code;     // machine-readable, e.g. "invalid_json"
  std::string message;  // for a person
};

struct parsed_compile_request {
  compile_request request;
  request_error error;
  bool ok() const { return error.status == 0; }
};

// Invalid JSON or UTF-8: 400. Not an object, a missing or mistyped field: 422.
// language "go" (no Go front end yet): 501. Unknown fields are ignored.
parsed_compile_request parse_compile_request(std::string_view body);

// Extra timings the service measured around the compiler's own.
struct service_timings {
  double queue_ms = 0;    // waiting for a worker
  double service_ms = 0;  // request fully read to response ready
};

std::string compile_result_json(const compile_result& result, const service_timings& timings);

// {"error": {"code": ..., "message": ...}}
std::string error_json(std::string_view code, std::string_view message);

}  // namespace vyx::compiler::service
