// Landlock ruleset of the worker's load stage (see file_confinement.hpp).
#include "sandbox/file_confinement.hpp"

#include "vyx/common/landlock.hpp"

namespace vyx::runtime {

confinement confine_file_access(const std::vector<std::string>& files,
                                const std::vector<std::string>& trees, std::string* error) {
  // A path that cannot be opened gets no rule: its dlopen then fails and the
  // plugin is refused with that error, as without Landlock.
  common::landlock_rules rules;
  rules.read_files = files;
  rules.read_trees = trees;
  switch (common::restrict_file_access(rules, error)) {
    case common::landlock_result::applied:
      return confinement::applied;
    case common::landlock_result::unsupported:
      return confinement::unsupported;
    case common::landlock_result::failed:
      break;
  }
  return confinement::failed;
}

}  // namespace vyx::runtime
