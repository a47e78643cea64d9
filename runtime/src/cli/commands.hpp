// The `vyx` subcommands; each parses its own options and returns an exit code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vyx::cli {

int backtest_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int status_command(const std::vector<std::string>& args);
int evaluate_command(const std::vector<std::string>& args);
int record_command(const std::vector<std::string>& args);
int new_command(const std::vector<std::string>& args);
int data_command(const std::vector<std::string>& args);
int healthcheck_command(const std::vector<std::string>& args);

// "1700000000000" (Unix ms), "2024-03-01", "2024-03-01T12:30", "2024-03-01T12:30:00Z" (UTC).
std::optional<std::int64_t> parse_time(const std::string& text);

inline constexpr const char* version = "0.1.0";

}  // namespace vyx::cli
