// The compile pipeline inside the child: raw-text rules first (no host file
// is opened for a refused #include), then one clang run whose AST goes to the
// dialect rules and, when they pass, to code generation; then the generated
// descriptor, then lld.
#include "child/clang_build.hpp"

#include <clang/ASTMatchers/ASTMatchFinder.h>
#include <clang/Basic/DiagnosticOptions.h>
#include <clang/Basic/DiagnosticParse.h>
#include <clang/CodeGen/CodeGenAction.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/CompilerInvocation.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Frontend/MultiplexConsumer.h>
#include <clang/Frontend/Utils.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "checks/dialect_module.hpp"
#include "utils/history_estimate.hpp"
#include "child/descriptor_source.hpp"
#include "child/diagnostic_collector.hpp"
#include "child/plugin_linker.hpp"

namespace vyx::compiler {
namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point start) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

constexpr const char* main_path = "/vyx/user/main.cpp";
constexpr const char* descriptor_path = "/vyx/user/descriptor.c";

// The translation unit around the user's file: the SDK comes from the
// precompiled header; the adapters that call filter/series come after it.
constexpr const char* main_text =
    "#include \"/vyx/user/trader.cpp\"\n"
    "#include \"vyx/sdk/entry.hpp\"\n";

llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> user_files(
    const std::vector<std::pair<std::string, std::string>>& files) {
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> overlay(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> memory(
      new llvm::vfs::InMemoryFileSystem());
  for (const auto& [path, text] : files)
    memory->addFile(path, /*ModificationTime=*/0, llvm::MemoryBuffer::getMemBufferCopy(text, path));
  overlay->pushOverlay(memory);
  return overlay;
}

// A CompilerInstance for driver-style arguments, reporting into `consumer`.
// `output` is set on the frontend directly: the driver does not always carry
// -o over to the frontend job it returns.
std::unique_ptr<clang::CompilerInstance> make_instance(
    const std::vector<std::string>& args, llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> vfs,
    clang::DiagnosticConsumer& consumer, const fs::path& output) {
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> options(new clang::DiagnosticOptions());
  llvm::IntrusiveRefCntPtr<clang::DiagnosticsEngine> driver_diags =
      clang::CompilerInstance::createDiagnostics(options.get(), &consumer,
                                                 /*ShouldOwnClient=*/false);
  clang::CreateInvocationOptions create;
  create.Diags = driver_diags;
  create.VFS = vfs;
  std::shared_ptr<clang::CompilerInvocation> invocation = clang::createInvocation(argv, create);
  if (!invocation) return nullptr;
  invocation->getFrontendOpts().DisableFree = false;
  invocation->getFrontendOpts().OutputFile = output.string();
  auto instance = std::make_unique<clang::CompilerInstance>();
  instance->setInvocation(std::move(invocation));
  instance->createDiagnostics(&consumer, /*ShouldOwnClient=*/false);
  instance->createFileManager(vfs);
  return instance;
}

std::vector<std::string> common_args(const sdk_layout& layout) {
  std::vector<std::string> args = {"clang++"};
  for (const std::string& f : plugin_cxx_flags()) args.push_back(f);
  args.insert(args.end(),
              {"-resource-dir", layout.clang_resource_dir.string(), "-I",
               layout.sdk_include_dir.string(), "-I", layout.indicators_include_dir.string(), "-w",
               "-ferror-limit=50", "-fno-color-diagnostics"});
  return args;
}

// Runs the dialect rules over the user's declarations once the whole
// translation unit is parsed, before code generation sees it.
class checker_consumer : public clang::ASTConsumer {
 public:
  checker_consumer(checks::check_context& context,
                   std::vector<std::unique_ptr<checks::check>>& rules,
                   clang::CompilerInstance& instance, unsigned stop_id, double& check_ms,
                   clock_type::time_point start)
      : context_(context),
        rules_(rules),
        instance_(instance),
        stop_id_(stop_id),
        check_ms_(check_ms),
        start_(start) {}

  void Initialize(clang::ASTContext& ast) override {
    context_.set_source_manager(&ast.getSourceManager());
  }

  void HandleTranslationUnit(clang::ASTContext& ast) override {
    // The declarations parsed in this run (noload: the SDK's, which live in
    // the precompiled header, are not deserialised), the user's among them.
    for (clang::Decl* d : ast.getTranslationUnitDecl()->noload_decls())
      if (!d->isImplicit() && context_.in_user_code(d->getLocation()))
        context_.user_decls().push_back(d);
    clang::ast_matchers::MatchFinder finder;
    for (auto& rule : rules_) rule->register_matchers(finder);
    checks::history_estimate history(context_);
    history.register_matchers(finder);
    ast.setTraversalScope(context_.user_decls());
    finder.matchAST(ast);
    ast.setTraversalScope({ast.getTranslationUnitDecl()});
    for (auto& rule : rules_) rule->on_translation_unit(ast);
    // Findings stop code generation: clang skips it once an error is reported.
    if (context_.has_errors()) instance_.getDiagnostics().Report(stop_id_);
    check_ms_ = ms_since(start_);
  }

 private:
  checks::check_context& context_;
  std::vector<std::unique_ptr<checks::check>>& rules_;
  clang::CompilerInstance& instance_;
  unsigned stop_id_;
  double& check_ms_;
  clock_type::time_point start_;
};

template <class Base>
class checked_action : public Base {
 public:
  explicit checked_action(
      std::function<std::unique_ptr<clang::ASTConsumer>(clang::CompilerInstance&)> make_checker)
      : make_checker_(std::move(make_checker)) {}

 protected:
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& ci,
                                                        llvm::StringRef file) override {
    std::unique_ptr<clang::ASTConsumer> base = Base::CreateASTConsumer(ci, file);
    if (!base) return nullptr;  // clang has reported why (e.g. the output file)
    std::vector<std::unique_ptr<clang::ASTConsumer>> consumers;
    consumers.push_back(make_checker_(ci));
    consumers.push_back(std::move(base));
    return std::make_unique<clang::MultiplexConsumer>(std::move(consumers));
  }

 private:
  std::function<std::unique_ptr<clang::ASTConsumer>(clang::CompilerInstance&)> make_checker_;
};

// lld's messages, reduced to their first lines without paths of the scratch dir.
std::string clean_link_error(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.rfind("ld.lld: error: ", 0) != 0) continue;
    if (!out.empty()) out += "; ";
    out += line.substr(15);
  }
  return out.empty() ? "the plugin could not be linked" : out;
}

bool write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

bool build_sdk_pch(const sdk_layout& layout, const fs::path& output, std::string& error) {
  diagnostic_collector collector("vyx/trader.hpp");
  std::vector<std::string> args = common_args(layout);
  // No modification times in the header: the SDK's fingerprint (its
  // contents) names the file already, and a header merely touched (a
  // checkout, a reinstall) must not make every compile fail on a stale time.
  // The header's pending template instantiations (std::string and friends,
  // the SDK's own) are done once here rather than at the end of every
  // trader's parse: about 190 ms of each compile's check (BENCHMARKS.md,
  // "Compile latency").
  args.insert(args.end(),
              {"-Xclang", "-fno-pch-timestamp", "-fpch-instantiate-templates", "-x", "c++-header",
               (layout.sdk_include_dir / "vyx" / "trader.hpp").string(), "-o", output.string()});
  auto instance = make_instance(args, llvm::vfs::getRealFileSystem(), collector, output);
  if (!instance) {
    error = "cannot set up clang for the SDK header";
    return false;
  }
  clang::GeneratePCHAction action;
  const bool ok = instance->ExecuteAction(action) && !instance->getDiagnostics().hasErrorOccurred();
  collector.finish();
  if (!ok) {
    error = "the SDK header does not compile";
    for (const diagnostic& d : collector.diagnostics()) error += "; " + d.message;
  }
  return ok;
}

frontend_outcome run_frontend(const frontend_job& job) {
  static const bool targets_ready = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
    return true;
  }();
  (void)targets_ready;
  frontend_outcome outcome;
  const clock_type::time_point start = clock_type::now();
  checks::check_context context(job.file_name);
  checks::dialect_options options;
  options.hinted_timeframes = job.hinted_timeframes;
  options.go_translation = job.go_translation;
  std::vector<std::unique_ptr<checks::check>> rules = checks::make_dialect_checks(context, options);

  // 1. Rules on the raw text.
  const checks::raw_source raw{job.code};
  for (auto& rule : rules) rule->scan_source(raw);
  if (context.has_errors()) {
    outcome.diagnostics = context.findings();
    outcome.timings.check_ms = ms_since(start);
    return outcome;
  }

  // 2. Parse, rules on the AST, code generation.
  diagnostic_collector collector(job.file_name);
  for (auto& rule : rules)
    for (auto& [id, message] : rule->owned_clang_diagnostics())
      collector.own(id, std::string(rule->id()), message);
  collector.own(clang::diag::err_bracket_depth_exceeded, "compile-limit",
                "compile limit exceeded: brackets nest too deeply; simplify the expression");
  const fs::path object = job.scratch / "trader.o";
  std::vector<std::string> args = common_args(job.layout);
  args.insert(args.end(),
              {"-include-pch", job.pch.string(), "-c", main_path, "-o", object.string()});
  auto vfs = user_files(
      {{std::string(checks::check_context::user_path), job.code}, {main_path, main_text}});
  auto instance = make_instance(args, vfs, collector, object);
  if (!instance) {
    outcome.diagnostics.push_back(
        {job.file_name, 1, 1, "error", "internal", "cannot set up clang"});
    return outcome;
  }
  const unsigned stop_id =
      instance->getDiagnostics().getCustomDiagID(clang::DiagnosticsEngine::Error, "checker");
  collector.ignore(stop_id);
  double check_ms = 0;
  auto make_checker = [&](clang::CompilerInstance& ci) -> std::unique_ptr<clang::ASTConsumer> {
    return std::make_unique<checker_consumer>(context, rules, ci, stop_id, check_ms, start);
  };
  bool compiled = false;
  if (job.build) {
    checked_action<clang::EmitObjAction> action(make_checker);
    compiled = instance->ExecuteAction(action);
  } else {
    checked_action<clang::SyntaxOnlyAction> action(make_checker);
    compiled = instance->ExecuteAction(action);
  }
  collector.finish();
  compiled = compiled && !instance->getDiagnostics().hasErrorOccurred();
  outcome.timings.check_ms = check_ms;
  outcome.timings.codegen_ms = job.build ? ms_since(start) - check_ms : 0;

  outcome.diagnostics = context.findings();
  for (diagnostic& d : collector.diagnostics()) outcome.diagnostics.push_back(std::move(d));
  std::stable_sort(outcome.diagnostics.begin(), outcome.diagnostics.end(),
                   [](const diagnostic& a, const diagnostic& b) {
                     return a.line != b.line ? a.line < b.line : a.column < b.column;
                   });
  // A rule and clang's own error it explains may both report the same spot.
  outcome.diagnostics.erase(std::unique(outcome.diagnostics.begin(), outcome.diagnostics.end(),
                                        [](const diagnostic& a, const diagnostic& b) {
                                          return a.line == b.line && a.column == b.column &&
                                                 a.rule == b.rule;
                                        }),
                            outcome.diagnostics.end());

  const checks::trader_facts& facts = context.facts();
  outcome.metadata.name = job.name;
  std::vector<std::string> timeframes(facts.timeframes.begin(), facts.timeframes.end());
  for (const std::string& tf : job.hinted_timeframes)
    if (std::find(timeframes.begin(), timeframes.end(), tf) == timeframes.end())
      timeframes.push_back(tf);
  // Order as the ABI numbers them (1m, 5m, ... 1d), not alphabetically.
  std::sort(timeframes.begin(), timeframes.end(), [](const std::string& a, const std::string& b) {
    return timeframe_mask({a}) < timeframe_mask({b});
  });
  outcome.metadata.timeframes = timeframes;
  outcome.metadata.history_bars = facts.history_bars;
  outcome.metadata.has_series = facts.has_series;
  const bool has_errors = std::any_of(outcome.diagnostics.begin(), outcome.diagnostics.end(),
                                      [](const diagnostic& d) { return d.severity == "error"; });
  if (!compiled || has_errors) return outcome;
  if (!job.build) {
    outcome.ok = true;
    return outcome;
  }

  // 3. The descriptor, then the link.
  const clock_type::time_point link_start = clock_type::now();
  const fs::path descriptor_object = job.scratch / "descriptor.o";
  {
    diagnostic_collector descriptor_diags(job.file_name);
    std::vector<std::string> c_args = {"clang",
                                       "-x",
                                       "c",
                                       "-std=c11",
                                       "-O2",
                                       "-fPIC",
                                       "-fvisibility=hidden",
                                       "-fno-ident",
                                       "-ffunction-sections",
                                       "-fdata-sections",
                                       "-resource-dir",
                                       job.layout.clang_resource_dir.string(),
                                       "-I",
                                       job.layout.sdk_include_dir.string(),
                                       "-c",
                                       descriptor_path,
                                       "-o",
                                       descriptor_object.string()};
    auto c_instance =
        make_instance(c_args, user_files({{descriptor_path, descriptor_source(outcome.metadata)}}),
                      descriptor_diags, descriptor_object);
    clang::EmitObjAction action;
    if (!c_instance || !c_instance->ExecuteAction(action) ||
        c_instance->getDiagnostics().hasErrorOccurred()) {
      outcome.diagnostics.push_back(
          {job.file_name, 1, 1, "error", "internal", "the plugin descriptor did not compile"});
      return outcome;
    }
  }
  const fs::path script = job.scratch / "exports.map";
  std::string link_error;
  if (!write_file(script, plugin_version_script()) ||
      !link_plugin(job.layout, {object, descriptor_object}, script, job.scratch / "plugin.so",
                   link_error)) {
    outcome.diagnostics.push_back(
        {job.file_name, 1, 1, "error", "link", clean_link_error(link_error)});
    return outcome;
  }
  outcome.timings.link_ms = ms_since(link_start);
  outcome.timings.total_ms = ms_since(start);
  outcome.ok = true;
  return outcome;
}

}  // namespace vyx::compiler
