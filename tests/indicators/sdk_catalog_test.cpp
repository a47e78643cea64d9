// The trader SDK's indicator list and the catalog are one list. Every
// catalog entry the ABI offers (abi_id != 0) reaches traders through the
// SDK, and every indicator the SDK asks the host for has its catalog entry.
// The SDK's headers are read as text: they are compiled for plugins (with
// the dialect's restrictions), not for this test.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "vyx/indicators/catalog.hpp"

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read ", path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// VYX_IND_* name -> id, from abi.h's defines.
std::map<std::string, std::uint32_t> abi_indicator_ids() {
  const std::string abi = read_text(std::string(VYX_ABI_INCLUDE_DIR) + "/vyx/abi.h");
  static const std::regex define(R"(#define (VYX_IND_\w+) (\d+)u)");
  std::map<std::string, std::uint32_t> ids;
  for (std::sregex_iterator i(abi.begin(), abi.end(), define), end; i != end; ++i)
    ids[(*i)[1]] = static_cast<std::uint32_t>(std::stoul((*i)[2]));
  return ids;
}

const std::string sdk_headers[] = {"indicators.hpp", "indicators_multi.hpp"};

}  // namespace

TEST_CASE("the SDK serves exactly the catalog's ABI indicators") {
  const auto ids = abi_indicator_ids();
  REQUIRE(!ids.empty());
  std::set<std::uint32_t> sdk_ids;
  static const std::regex use(R"(\bVYX_IND_\w+)");
  for (const std::string& header : sdk_headers) {
    const std::string text = read_text(std::string(VYX_ABI_INCLUDE_DIR) + "/vyx/sdk/" + header);
    for (std::sregex_iterator i(text.begin(), text.end(), use), end; i != end; ++i) {
      const auto id = ids.find(i->str());
      REQUIRE_MESSAGE(id != ids.end(), header, " uses ", i->str(), ", which abi.h does not define");
      sdk_ids.insert(id->second);
    }
  }
  std::set<std::uint32_t> catalog_ids;
  for (const vyx::ta::indicator_info& info : vyx::ta::catalog())
    if (info.abi_id != 0) {
      catalog_ids.insert(info.abi_id);
      CHECK_MESSAGE(sdk_ids.count(info.abi_id) == 1, "catalog entry ", std::string(info.id), " (ABI id ",
                    info.abi_id, ") has no SDK function");
    }
  for (const std::uint32_t id : sdk_ids)
    CHECK_MESSAGE(catalog_ids.count(id) == 1, "the SDK asks for ABI id ", id,
                  ", which no catalog entry carries");
}

TEST_CASE("the SDK's one-output indicators are named as their catalog entries") {
  const std::string text = read_text(std::string(VYX_ABI_INCLUDE_DIR) + "/vyx/sdk/indicators.hpp");
  const auto ids = abi_indicator_ids();
  static const std::regex declared(R"(\nVYX_SDK_\w+_INDICATOR\((\w+), (VYX_IND_\w+)\))");
  int checked = 0;
  for (std::sregex_iterator i(text.begin(), text.end(), declared), end; i != end; ++i) {
    const std::string name = (*i)[1];
    const std::uint32_t id = ids.at((*i)[2]);
    const vyx::ta::indicator_info* entry = vyx::ta::find_indicator_by_abi_id(id);
    REQUIRE_MESSAGE(entry != nullptr, "no catalog entry for ", name);
    CHECK_MESSAGE(name == entry->id, "the SDK names ", std::string(entry->id), " as ", name);
    ++checked;
  }
  CHECK(checked > 10);
}
