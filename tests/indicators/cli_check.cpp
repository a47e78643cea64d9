// Runs the vyx-ta command on each public fixture and checks its output
// against the TA-Lib references within the README's tolerances.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <cmath>
#include <cstdlib>
#include <string>

#include "test_data.hpp"

namespace vyx::test {
namespace {

std::string run_tool(const std::string& args, const std::string& output) {
  const std::string command =
      std::string("'") + VYX_TA_EXE + "' " + args + " > '" + output + "' 2> '" + output + ".err'";
  const int rc = std::system(command.c_str());
  return std::to_string(WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
}

TEST_CASE("vyx-ta: output on the public fixtures matches the references") {
  for (int n = 1; n <= 3; ++n) {
    CAPTURE(n);
    const std::string in = std::string(VYX_FIXTURE_DIR) + "/public_" + std::to_string(n) + ".json";
    const std::string out =
        std::string(VYX_TEST_TMP) + "/vyx_ta_public_" + std::to_string(n) + ".json";
    REQUIRE(run_tool("--strict '" + in + "'", out) == "0");
    fixture ours, reference;
    std::string error;
    REQUIRE_MESSAGE(load_fixture(out, ours, error), error);
    REQUIRE_MESSAGE(load_fixture(in, reference, error), error);
    REQUIRE(ours.indicators.size() == reference.indicators.size());
    double typical_volume = 0;
    for (double v : reference.volume)
      typical_volume += v / static_cast<double>(reference.volume.size());
    for (std::size_t k = 0; k < reference.indicators.size(); ++k) {
      const fixture_indicator& want = reference.indicators[k];
      const fixture_indicator& got = ours.indicators[k];
      CAPTURE(want.id);
      REQUIRE(got.id == want.id);
      CHECK(got.lookback == want.lookback);
      std::vector<double> options(8);
      const auto params = want.talib_params();
      const ta::indicator_info* info = ta::match_talib(want.talib_function, params, options.data());
      REQUIRE(info != nullptr);
      for (const auto& [name, unused] : want.outputs) {
        CAPTURE(name);
        const std::vector<double>& ref = *want.reference(name);
        const std::vector<double>* mine = got.reference(name);
        REQUIRE(mine != nullptr);
        int bad = 0;
        for (std::size_t i = 0; i < ref.size(); ++i) {
          const bool ok = std::isnan(ref[i]) ? std::isnan((*mine)[i])
                                             : std::fabs((*mine)[i] - ref[i]) <=
                                                   allowed(kind_of(info->id), ref[i],
                                                           reference.close[i], typical_volume);
          bad += !ok;
        }
        CHECK(bad == 0);
      }
    }
  }
}

TEST_CASE("vyx-ta: errors exit with status 2 and a message") {
  const std::string out = std::string(VYX_TEST_TMP) + "/vyx_ta_error.json";
  CHECK(run_tool("/no/such/file.json", out) == "2");
  CHECK(run_tool("", out) == "2");
  CHECK(run_tool("--bogus x.json", out) == "2");
  CHECK(run_tool("--help", out) == "0");
}

}  // namespace
}  // namespace vyx::test
