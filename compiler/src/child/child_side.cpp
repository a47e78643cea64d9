// The child's side of a compile child (see compile_child.hpp): read the
// envelope, lock down, run the work, answer on fd 3. Runs in a fresh process
// right after exec, so it may allocate and take locks freely.
#include <clang/Basic/Stack.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/Support/PrettyStackTrace.h>
#include <llvm/Support/raw_ostream.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cerrno>
#include <ctime>
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

// Given back when an allocation fails, so the last words below can be said.
void* memory_reserve = nullptr;
constexpr std::size_t memory_reserve_bytes = 4u << 20;

// A limit that ends the child leaves, as its answer, where clang was: its
// pretty stack trace (the parser's current token, the declaration being
// parsed, the template being instantiated) names a place in the user's file
// when the cause is there. Said on the compiling thread, from the signal or
// the failed allocation that ends the work. It allocates: an alarm ends the
// child with the same code should that ever hang (a lock held by the
// interrupted code).
[[noreturn]] void end_with_last_words(int exit_code) {
  std::free(memory_reserve);
  memory_reserve = nullptr;
  alarm(1);
  llvm::SmallString<4096> text;
  llvm::raw_svector_ostream out(text);
  for (auto* entry = static_cast<const llvm::PrettyStackTraceEntry*>(llvm::SavePrettyStackState());
       entry != nullptr; entry = entry->getNextEntry())
    entry->print(out);
  (void)write_all(answer_fd, std::string(text.str()));
  _exit(exit_code);
}

// An allocation refused under the address-space limit, by operator new or by
// LLVM's own allocators, ends the child with a code the parent reads as the
// memory limit rather than as a crash.
[[noreturn]] void out_of_memory() {
  end_with_last_words(child_exit::out_of_memory);
}
void llvm_out_of_memory(void*, const char*, bool) {
  out_of_memory();
}

// SIGXCPU, the CPU limit's soft signal (the kernel's SIGKILL follows a
// second later); SIGALRM, the backstop of the last words.
void on_cpu_limit(int) {
  end_with_last_words(child_exit::time_limit);
}
void on_last_words_hang(int) {
  _exit(child_exit::time_limit);
}

bool watch_cpu_limit() {
  struct sigaction action{};
  action.sa_handler = on_cpu_limit;
  action.sa_flags = SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  struct sigaction backstop{};
  backstop.sa_handler = on_last_words_hang;
  sigemptyset(&backstop.sa_mask);
  return sigaction(SIGXCPU, &action, nullptr) == 0 && sigaction(SIGALRM, &backstop, nullptr) == 0;
}

// The CPU limit's signal goes to the process: only the compiling thread, whose
// pretty stack trace tells where clang was, takes it.
void take_cpu_limit_signal(int how) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGXCPU);
  pthread_sigmask(how, &set, nullptr);
}

// Deeply nested code (lambdas in lambdas, long else-if chains) makes clang
// recurse once per level. The work runs on a thread with a stack large
// enough for every nesting the compile limits (bracket depth, template depth)
// let through, so clang reaches those limits and reports them at the user's
// line; a stack overflow that still happens ends the child with a code the
// parent reports as the nesting limit, not as our crash.
constexpr std::size_t work_stack_bytes = 256ull << 20;
constexpr std::size_t guard_bytes = 1ull << 20;
char* stack_low = nullptr;  // lowest byte of the work thread's usable stack

void on_fault(int signal, siginfo_t* info, void*) {
  const char* at = static_cast<const char*>(info->si_addr);
  if (stack_low != nullptr && at < stack_low + 64 * 1024 && at + guard_bytes >= stack_low)
    _exit(child_exit::stack_limit);
  ::signal(signal, SIG_DFL);  // anything else: the crash it is, reported as ours
  raise(signal);
}

bool watch_stack_overflow() {
  static char alternate[64 * 1024];
  stack_t alt{};
  alt.ss_sp = alternate;
  alt.ss_size = sizeof alternate;
  struct sigaction action{};
  action.sa_sigaction = on_fault;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  return sigaltstack(&alt, nullptr) == 0 && sigaction(SIGSEGV, &action, nullptr) == 0 &&
         sigaction(SIGBUS, &action, nullptr) == 0;
}

// A compile still running after this long is an expensive one: it goes on
// at a lower CPU priority, so cheap compiles running beside it (the service
// runs several) get the processor first and keep flowing.
constexpr int renice_after_seconds = 2;
constexpr int expensive_niceness = 10;

struct work_call {
  const std::function<std::string(const std::string&)>* work;
  const std::string* job;
  std::string answer;
  int exit_code = child_exit::ok;
  std::atomic<pid_t> thread_id{0};
};

void* run_work(void* argument) {
  auto* call = static_cast<work_call*>(argument);
  call->thread_id.store(gettid());
  // Each thread needs the alternate stack of its own.
  if (!watch_stack_overflow()) {
    call->exit_code = child_exit::sandbox_failed;
    return nullptr;
  }
  clang::noteBottomOfStack();  // lets clang see its stack running low
  take_cpu_limit_signal(SIG_UNBLOCK);
  try {
    call->answer = (*call->work)(*call->job);
  } catch (const std::bad_alloc&) {
    call->exit_code = child_exit::out_of_memory;
  } catch (...) {
    call->exit_code = child_exit::threw;
  }
  return nullptr;
}

// Runs `work` on a thread with a large stack; false if no such thread can start.
[[maybe_unused]] bool run_on_large_stack(work_call& call) {
  void* stack = mmap(nullptr, work_stack_bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return false;
  // The lowest megabyte stays unmapped-by-protection: an overflow faults there.
  if (mprotect(stack, guard_bytes, PROT_NONE) != 0) return false;
  stack_low = static_cast<char*>(stack) + guard_bytes;
  pthread_attr_t attr;
  pthread_t thread;
  if (pthread_attr_init(&attr) != 0) return false;
  const bool started = pthread_attr_setstack(&attr, stack, work_stack_bytes) == 0 &&
                       pthread_create(&thread, &attr, run_work, &call) == 0;
  pthread_attr_destroy(&attr);
  if (!started) return false;
  take_cpu_limit_signal(SIG_BLOCK);  // the work thread started with it unblocked
  timespec until{};
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += renice_after_seconds;
  if (pthread_timedjoin_np(thread, nullptr, &until) == 0) return true;
  // Niceness is per thread on Linux: lower the compiling thread's.
  setpriority(PRIO_PROCESS, static_cast<id_t>(call.thread_id.load()), expensive_niceness);
  return pthread_join(thread, nullptr) == 0;
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
  memory_reserve = std::malloc(memory_reserve_bytes);
  std::set_new_handler(out_of_memory);
  llvm::install_bad_alloc_error_handler(llvm_out_of_memory);
  if (!watch_cpu_limit()) _exit(child_exit::sandbox_failed);
  std::string text;
  envelope e;
  if (!read_all(STDIN_FILENO, text) || !parse_envelope(text, e)) _exit(child_exit::bad_envelope);
  text.clear();
  if (!e.scratch.empty() && chdir(e.scratch.c_str()) != 0) _exit(child_exit::bad_envelope);
  if (!lock_down_compile_child(e.readable, e.scratch)) _exit(child_exit::sandbox_failed);
  work_call call{&work, &e.job, {}, child_exit::ok};
#if defined(__SANITIZE_ADDRESS__)
  // Under ASan the compile runs on the main thread, as before the large
  // stack: the instrumented child crashed building the SDK header on the
  // mmap'd stack (to investigate); deep nesting then ends in ASan's report.
  run_work(&call);
#else
  if (!run_on_large_stack(call)) _exit(child_exit::sandbox_failed);
#endif
  if (call.exit_code != child_exit::ok) _exit(call.exit_code);
  // _exit: no atexit handlers, no static destructors of a half-torn-down LLVM.
  _exit(write_all(answer_fd, call.answer) ? child_exit::ok : child_exit::write_failed);
}

}  // namespace vyx::compiler
