// The compile child's work: decode a job and run clang on it (in the child
// process only; the parent never links this).
#include "protocol/child_job.hpp"
#include "protocol/outcome_codec.hpp"

namespace vyx::compiler {

std::string run_child_job(const std::string& text) {
  const std::optional<child_job> job = decode_job(text);
  if (!job) return "error: the compile child got a malformed job";
  if (job->what == child_job::kind::sdk_pch) {
    std::string message;
    return build_sdk_pch(job->frontend.layout, job->pch_output, message) ? std::string("ok")
                                                                         : "error: " + message;
  }
  return encode_outcome(run_frontend(job->frontend));
}

}  // namespace vyx::compiler
