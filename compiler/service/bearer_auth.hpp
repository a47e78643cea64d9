// Checks the `Authorization: Bearer <token>` header against the service token.
#pragma once

#include <string_view>

namespace vyx::compiler::service {

// True when `authorization` carries exactly `token`. The comparison takes the
// same time wherever the first difference is, so timing reveals nothing.
bool bearer_token_matches(std::string_view authorization, std::string_view token);

}  // namespace vyx::compiler::service
