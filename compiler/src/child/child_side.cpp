// The child's side of a compile child (see compile_child.hpp): read the
// envelope, lock down, run the work, answer on fd 3. Runs in a fresh process
// right after exec, so it may allocate and take locks freely.
#include <llvm/Support/ErrorHandling.h>
#include <unistd.h>

#include <cerrno>
#include <new>
#include <string>
#include <vector>

#include "parent/compile_child.hpp"
#include "protocol/fd_io.hpp"
#include "protocol/line_codec.hpp"
#include "child/sandbox.hpp"

namespace vyx::compiler {
namespace {

constexpr int answer_fd = 3;

// An allocation refused under the address-space limit, by operator new or by
// LLVM's own allocators, ends the child with a code the parent reads as the
// memory limit rather than as a crash.
[[noreturn]] void out_of_memory() {
  _exit(child_exit::out_of_memory);
}
void llvm_out_of_memory(void*, const char*, bool) {
  out_of_memory();
}

struct envelope {
  std::filesystem::path scratch;
  std::vector<std::filesystem::path> readable;
  std::string job;
};

bool parse_envelope(const std::string& text, envelope& out) {
  std::size_t at = 0;
  bool header = false;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    if (end == std::string::npos) return false;
    const std::vector<std::string> f = split_fields(text.substr(at, end - at));
    at = end + 1;
    if (f[0] == "vyx-child") {
      header = f.size() == 2 && f[1] == "1";
    } else if (f[0] == "scratch" && f.size() == 2) {
      out.scratch = f[1];
    } else if (f[0] == "readable" && f.size() == 2) {
      out.readable.emplace_back(f[1]);
    } else if (f[0] == "job") {
      out.job = text.substr(at);
      return header;
    } else {
      return false;
    }
  }
  return false;
}

}  // namespace

void serve_child(const std::function<std::string(const std::string& job)>& work) {
  std::set_new_handler(out_of_memory);
  llvm::install_bad_alloc_error_handler(llvm_out_of_memory);
  std::string text;
  envelope e;
  if (!read_all(STDIN_FILENO, text) || !parse_envelope(text, e)) _exit(child_exit::bad_envelope);
  text.clear();
  if (!e.scratch.empty() && chdir(e.scratch.c_str()) != 0) _exit(child_exit::bad_envelope);
  if (!lock_down_compile_child(e.readable, e.scratch)) _exit(child_exit::sandbox_failed);
  std::string answer;
  try {
    answer = work(e.job);
  } catch (const std::bad_alloc&) {
    _exit(child_exit::out_of_memory);
  } catch (...) {
    _exit(child_exit::threw);
  }
  // _exit: no atexit handlers, no static destructors of a half-torn-down LLVM.
  _exit(write_all(answer_fd, answer) ? child_exit::ok : child_exit::write_failed);
}

}  // namespace vyx::compiler
