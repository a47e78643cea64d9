// POST /v1/compile and GET /v1/artifacts/{hash} against a real `vyxc serve`:
// good and rejected traders, the cache, concurrent compiles, loading the artifact.
#include <dlfcn.h>
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <thread>

#include "test_support.hpp"
#include "vyx/abi.h"

using namespace vyx::test;

namespace {

bool is_hash(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

struct compiled {
  std::string hash;
  std::uint64_t size = 0;
  bool cache_hit = false;
};

// Compiles a trader that must pass and checks the answer's shape.
compiled compile_ok(std::uint16_t port, const std::string& code, const std::string& name) {
  const http_reply reply = http_call(port, compile_request_for(code, name));
  REQUIRE(reply.status == 200);
  const json_doc doc(reply.body);
  INFO(reply.body);
  REQUIRE(bool(doc["ok"]));
  compiled out;
  out.hash = std::string(std::string_view(doc["hash"]));
  out.size = uint64_t(doc["size"]);
  out.cache_hit = bool(doc["cacheHit"]);
  CHECK(is_hash(out.hash));
  CHECK(out.size > 0);
  CHECK(std::string_view(doc["artifactUrl"]) == "/v1/artifacts/" + out.hash);
  CHECK(std::string_view(doc["metadata"]["name"]) == name);
  bool requires_5m = false;
  for (const auto timeframe : doc["metadata"]["timeframes"].get_array())
    requires_5m |= std::string_view(timeframe) == "5m";
  CHECK(requires_5m);
  CHECK(doc["diagnostics"].get_array().size() == 0);
  CHECK(double(doc["timings"]["compileMs"]) >= 0);
  CHECK(double(doc["timings"]["serviceMs"]) >= 0);
  return out;
}

std::string fetch_artifact(std::uint16_t port, const std::string& hash) {
  const http_reply reply = http_call(port, get("/v1/artifacts/" + hash));
  REQUIRE(reply.status == 200);
  CHECK(reply.header("content-type") == "application/octet-stream");
  CHECK(reply.header("etag") == "\"" + hash + "\"");
  return reply.body;
}

}  // namespace

TEST_CASE("a good trader compiles, its artifact downloads and loads through the ABI") {
  server_process server(secured());
  const compiled result = compile_ok(server.port(), good_trader("load"), "loadable");
  CHECK_FALSE(result.cache_hit);
  const std::string bytes = fetch_artifact(server.port(), result.hash);
  CHECK(bytes.size() == result.size);

  const auto directory = make_temp_dir("vyxc-artifact");
  const auto path = directory / (result.hash + ".so");
  std::ofstream(path, std::ios::binary) << bytes;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  REQUIRE_MESSAGE(handle != nullptr, dlerror());
  const auto entry = reinterpret_cast<vyx_entry_fn>(dlsym(handle, VYX_ENTRY_SYMBOL));
  const bool has_entry = entry != nullptr;  // doctest cannot print a function pointer
  REQUIRE(has_entry);
  const vyx_plugin* plugin = entry();
  REQUIRE(plugin != nullptr);
  CHECK(plugin->abi_version == VYX_ABI_VERSION);
  CHECK(plugin->struct_size == sizeof(vyx_plugin));
  CHECK(std::string(plugin->name) == "loadable");
  CHECK(bool(plugin->filter));
  dlclose(handle);
  std::filesystem::remove_all(directory);
  CHECK(server.terminate() == 0);
}

TEST_CASE("the same trader twice: the second answer comes from the cache with the same hash") {
  server_process server(secured());
  const compiled first = compile_ok(server.port(), good_trader("cache"), "cached");
  const compiled second = compile_ok(server.port(), good_trader("cache"), "cached");
  CHECK_FALSE(first.cache_hit);
  CHECK(second.cache_hit);
  CHECK(second.hash == first.hash);
  CHECK(second.size == first.size);
  // A different source is a different artifact.
  const compiled other = compile_ok(server.port(), good_trader("cache, changed"), "cached");
  CHECK(other.hash != first.hash);
  CHECK_FALSE(other.cache_hit);
  CHECK(server.terminate() == 0);
}

TEST_CASE("a rejected trader answers 200 with ok=false and diagnostics at the user's line") {
  server_process server(secured());
  const http_reply reply =
      http_call(server.port(), compile_request_for(rejected_trader(), "rejected"));
  REQUIRE(reply.status == 200);
  INFO(reply.body);
  const json_doc doc(reply.body);
  CHECK_FALSE(bool(doc["ok"]));
  CHECK(std::string_view(doc["diagnostics"].at(0)["rule"]) == "dialect-no-include");
  bool found = false;
  for (const auto d : doc["diagnostics"].get_array()) {
    if (std::string_view(d["rule"]) != "dialect-no-include") continue;
    found = true;
    CHECK(int64_t(d["line"]) == 2);
    CHECK(int64_t(d["column"]) >= 1);
    CHECK(std::string_view(d["severity"]) == "error");
    CHECK(std::string_view(d["file"]).size() > 0);
    CHECK(std::string_view(d["message"]).find("#include") != std::string_view::npos);
  }
  CHECK(found);
  // Nothing to fetch for rejected code.
  CHECK(doc.root()["artifactUrl"].error() == simdjson::NO_SUCH_FIELD);
  CHECK(server.terminate() == 0);
}

TEST_CASE("the service process never loads clang or LLVM: compiles run in vyx-compile-child") {
  server_process server(secured());
  compile_ok(server.port(), good_trader("maps"), "maps");
  std::ifstream maps("/proc/" + std::to_string(server.pid()) + "/maps");
  REQUIRE(maps.good());
  std::string line, offending;
  int lines = 0;
  while (std::getline(maps, line)) {
    ++lines;
    if (line.find("libLLVM") != std::string::npos || line.find("libclang") != std::string::npos)
      offending += line + "\n";
  }
  CHECK(lines > 0);
  CHECK(offending == "");
  CHECK(server.terminate() == 0);
}

TEST_CASE("eight concurrent compiles all succeed with their own artifacts") {
  server_process server(secured({"--jobs", "2", "--max-queue", "16"}));
  constexpr int count = 8;
  std::vector<compiled> results(count);
  std::vector<std::string> failures(count);
  std::vector<std::thread> clients;
  for (int i = 0; i < count; ++i) {
    clients.emplace_back([&, i] {
      // doctest assertions are not thread-safe: the threads only collect.
      try {
        const http_reply reply = http_call(
            server.port(), compile_request_for(good_trader("concurrent " + std::to_string(i)),
                                               "trader" + std::to_string(i)));
        const json_doc doc(reply.body);
        if (reply.status != 200 || !bool(doc["ok"])) failures[i] = reply.body;
        results[i].hash = std::string(std::string_view(doc["hash"]));
        results[i].size = uint64_t(doc["size"]);
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  }
  for (auto& client : clients) client.join();
  std::set<std::string> hashes;
  for (int i = 0; i < count; ++i) {
    CAPTURE(i);
    CHECK(failures[i] == "");
    hashes.insert(results[i].hash);
    CHECK(fetch_artifact(server.port(), results[i].hash).size() == results[i].size);
  }
  CHECK(hashes.size() == count);
  CHECK(server.terminate() == 0);
}

TEST_CASE("a client that sends Expect: 100-continue gets the go-ahead and its answer") {
  server_process server(secured());
  http_connection connection(server.port());
  const std::string body = compile_body(good_trader("expect"), "expecting");
  const std::string header =
      "POST /v1/compile HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + service_token +
      "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  const http_reply interim = connection.send_raw(header);
  CHECK(interim.status == 100);
  const http_reply reply = connection.send_raw(body);
  CHECK(reply.status == 200);
  CHECK(bool(json_doc(reply.body)["ok"]));
  CHECK(server.terminate() == 0);
}
