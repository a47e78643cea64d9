// The ELF audit against hand-made shared objects that break each of its
// rules, and against a real plugin, which passes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/compile_support.hpp"
#include "vyx/common/elf_audit.hpp"

namespace fs = std::filesystem;

namespace {

bool mentions(const std::vector<std::string>& problems, const std::string& part) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(part) != std::string::npos; });
}

fs::path make_so(const std::string& name, const std::string& source) {
  const fs::path dir = fs::path(VYX_TEST_CACHE_DIR).parent_path() / "elf_audit";
  fs::create_directories(dir);
  const fs::path src = dir / (name + ".c");
  const fs::path so = dir / (name + ".so");
  std::ofstream(src) << source;
  const std::string command = std::string(VYX_TEST_CLANG) + " -x c -shared -fPIC -O1 -o " +
                              so.string() + " " + src.string() + " 2>/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  return so;
}

}  // namespace

TEST_CASE("the audit refuses extra exports, constructors, TLS, IFUNC and foreign imports") {
  const fs::path so = make_so("bad", R"(
#include <stdio.h>
const void* vyx_plugin_entry(void) { return 0; }
int extra_export(void) { return 1; }
__attribute__((constructor)) static void early(void) { }
__thread int per_thread;
int tls_user(void) { return per_thread; }
static int impl(void) { return 2; }
static int (*resolve(void))(void) { return impl; }
int chosen(void) __attribute__((ifunc("resolve")));
FILE* opener(void) { return fopen("/etc/passwd", "r"); }
)");
  const std::vector<std::string> problems = vyx::common::audit_plugin(so);
  CHECK(mentions(problems, "exports 'extra_export'"));
  CHECK(mentions(problems, "init"));
  CHECK(mentions(problems, "thread-local"));
  CHECK(mentions(problems, "IFUNC"));
  CHECK(mentions(problems, "imports 'fopen'"));
}

TEST_CASE("the audit refuses a file without the entry symbol, and a file that is not ELF") {
  const fs::path so =
      make_so("no_entry", "static int hidden(void) { return 1; } int (*keep)(void) = hidden;\n");
  CHECK(mentions(vyx::common::audit_plugin(so), "does not export the function vyx_plugin_entry"));
  const fs::path text = fs::path(VYX_TEST_CACHE_DIR).parent_path() / "elf_audit" / "not_elf.so";
  std::ofstream(text) << "just text";
  CHECK(mentions(vyx::common::audit_plugin(text), "not a 64-bit"));
  CHECK(mentions(vyx::common::audit_plugin(text.string() + ".missing"), "cannot read"));
}

TEST_CASE("a plugin built by the compiler passes the audit") {
  const auto r = vyx::test::build_code(
      "bool filter(const vyx::Market& m) { return vyx::sqrt(m.klines(\"1d\").close().last()) > 3; "
      "}\n",
      "audit_ok");
  REQUIRE(r.ok);
  CHECK(vyx::common::audit_plugin(r.artifact_path).empty());
}
