// `vyx new`: a starter trader in each language that the checker accepts, never
// written over an existing file, and a clear refusal of bad names.
#include <doctest/doctest.h>

#include "command_runner.hpp"

using namespace vyx::test;

TEST_CASE("vyx new writes a starter trader the checker accepts, in C++ and in Go") {
  temp_dir dir;
  for (const std::string lang : {"cpp", "go"}) {
    CAPTURE(lang);
    auto made = run_command(
        {VYX_COMMAND, "new", "my_trader", "--lang", lang, "--dir", (dir / "traders").string()},
        dir);
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    const auto file = dir / "traders" / ("my_trader." + lang);
    REQUIRE(std::filesystem::exists(file));
    CHECK(read_file(file).find("my_trader") != std::string::npos);
    auto checked = run_command({VYXC_COMMAND, "check", file.string()}, dir);
    CHECK_MESSAGE(checked.exit_code == 0, checked.err);
  }
}

TEST_CASE("vyx new refuses to overwrite a file, and leaves it as it was") {
  temp_dir dir;
  write_file(dir / "mine.cpp", "// my own work\n");
  auto again = run_command({VYX_COMMAND, "new", "mine", "--dir", dir.path().string()}, dir);
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("already exists") != std::string::npos);
  CHECK(read_file(dir / "mine.cpp") == "// my own work\n");

  // A second run over its own first file is refused the same way.
  REQUIRE(run_command({VYX_COMMAND, "new", "fresh", "--dir", dir.path().string()}, dir).exit_code ==
          0);
  const std::string first = read_file(dir / "fresh.cpp");
  CHECK(run_command({VYX_COMMAND, "new", "fresh", "--dir", dir.path().string()}, dir).exit_code ==
        1);
  CHECK(read_file(dir / "fresh.cpp") == first);
}

TEST_CASE("vyx new refuses bad names and languages with a clear message") {
  temp_dir dir;
  for (const std::string name : {"1st", "../escape", "has space", "dash-ed", ""}) {
    CAPTURE(name);
    auto r = run_command({VYX_COMMAND, "new", name, "--dir", dir.path().string()}, dir);
    CHECK(r.exit_code == 2);
    CHECK((r.err.find("bad NAME") != std::string::npos ||
           r.err.find("NAME is required") != std::string::npos));
  }
  auto lang = run_command(
      {VYX_COMMAND, "new", "ok_name", "--lang", "rust", "--dir", dir.path().string()}, dir);
  CHECK(lang.exit_code == 2);
  CHECK(lang.err.find("--lang must be cpp or go") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "ok_name.rust"));
}
