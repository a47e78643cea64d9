// Reading run_peers.sh's results: meta.json and one JSON line per harness, as
// the C++ (printf) and Go (encoding/json) harnesses write them.
#include <doctest/doctest.h>

#include "peer_results.hpp"
#include "test_data.hpp"

using namespace vyx::bench::peers;
using namespace vyx::test::peers;

namespace {

const char* meta_json = R"({"date":"2026-11-30T02:10:00Z","symbols":200,"bars":500,"seed":42,
  "dataset":"/tmp/vyx-peers/data/dataset_S200_B500_seed42.bin","verify_status":"OK","ref_offsets":500,
  "reference":{"rounded":"verify_ref.txt","unrounded":"verify_ref-unrounded.txt"},"cpus":2})";

const char* cpp_line =
    R"({"harness":"cpp-O2","symbols":200,"bars":500,"rounds":933,"evals":933000,"seconds":8.009,)"
    R"("evals_per_s":116482.123,"ns_per_eval":8584.9,"per_trader_ns":{"T1":1.0},)"
    R"("matches":{"T1":25,"T2":1,"T3":8,"T4":14,"T5":0},"peak_rss_kb":15080,"command":"cd /x && ./build/cppbench"})";
const char* go_line =
    R"({"bars":500,"evals":202000,"evals_per_s":25130.5,"harness":"go-native","matches":{"T1":25,"T2":1},)"
    R"("ns_per_eval":39793.2,"per_trader_ns":null,"rounds":202,"seconds":8,"symbols":200,"peak_rss_kb":111500})";

}  // namespace

TEST_CASE("a results directory reads back as the run and one result per harness") {
  scratch_dir dir;
  write_bytes(dir / "meta.json", meta_json);
  write_bytes(dir / "peers.jsonl", std::string(cpp_line) + "\n" + go_line + "\n");
  std::string error;
  auto run = read_peer_run(dir.path(), error);
  REQUIRE_MESSAGE(run.has_value(), error);
  CHECK(run->symbols == 200);
  CHECK(run->bars == 500);
  CHECK(run->seed == 42);
  CHECK(run->dataset == "/tmp/vyx-peers/data/dataset_S200_B500_seed42.bin");
  CHECK(run->verify_status == "OK");
  CHECK(run->ref_offsets == 500);
  CHECK(run->reference_rounded == dir / "verify_ref.txt");
  CHECK(run->reference_unrounded == dir / "verify_ref-unrounded.txt");
  REQUIRE(run->results.size() == 2);

  const auto* cpp = run->find("cpp-O2");
  REQUIRE(cpp != nullptr);
  CHECK(cpp->evals_per_s == doctest::Approx(116482.123));
  CHECK(cpp->ns_per_eval == doctest::Approx(8584.9));
  CHECK(cpp->rounds == 933);
  CHECK(cpp->evals == 933000);
  CHECK(cpp->peak_rss_kb == 15080);
  CHECK(cpp->matches.at("T4") == 14);
  CHECK(cpp->command == "cd /x && ./build/cppbench");

  const auto* go = run->find("go-native");
  REQUIRE(go != nullptr);
  CHECK(go->seconds == 8);
  CHECK(go->matches.size() == 2);
  CHECK(go->command.empty());
  CHECK(run->find("node-1thread") == nullptr);
}

TEST_CASE("missing or broken result files are errors naming the file") {
  scratch_dir dir;
  std::string error;
  CHECK_FALSE(read_peer_run(dir.path(), error).has_value());
  CHECK(error.find("meta.json") != std::string::npos);

  write_bytes(dir / "meta.json", R"({"symbols":200})");
  CHECK_FALSE(read_peer_run(dir.path(), error).has_value());
  CHECK(error.find("meta.json: missing") != std::string::npos);

  write_bytes(dir / "meta.json", meta_json);
  CHECK_FALSE(read_peer_run(dir.path(), error).has_value());
  CHECK(error.find("peers.jsonl: cannot open") != std::string::npos);

  write_bytes(dir / "peers.jsonl", std::string(cpp_line) + "\n{\"harness\":\"x\"}\n");
  CHECK_FALSE(read_peer_run(dir.path(), error).has_value());
  CHECK(error.find("peers.jsonl:2: missing") != std::string::npos);

  write_bytes(dir / "peers.jsonl", "{not json\n");
  CHECK_FALSE(read_peer_run(dir.path(), error).has_value());
  CHECK(error.find("peers.jsonl:1: ") != std::string::npos);
}
