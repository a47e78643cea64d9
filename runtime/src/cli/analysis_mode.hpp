// `vyx run`'s AI analysis (OPENROUTER_API_KEY set): the queue's settings
// from the environment, and who owns the traders of a --traders folder.
// Local traders have no owner or tier: `--analyze` is the operator's opt-in,
// under the user id "local" with Elite's rights, and a trader's strategy
// instructions are the text of <traders>/<id>.strategy.md when it exists.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "vyx/runtime/analysis/analysis_queue.hpp"
#include "vyx/runtime/analysis/analysis_sink.hpp"

namespace vyx::cli {

// nullopt when OPENROUTER_API_KEY is unset or empty. Throws
// std::runtime_error on a malformed setting (named, never its value if secret).
std::optional<runtime::analysis_queue_options> analysis_from_environment(
    const std::filesystem::path& database);

// The owners of the traders of a local folder (every one opted in).
runtime::analysis_subject_lookup local_trader_owners(const std::filesystem::path& traders_dir);

}  // namespace vyx::cli
