// `vyxc serve`: the HTTP compile service (see compiler/README.md, "HTTP service").
#pragma once

namespace vyx::compiler {

// Runs the service until SIGTERM or SIGINT. Exit status: 0 after a clean
// shutdown, 2 on a usage error or when the service cannot start.
int serve_command(int argc, char** argv);

}  // namespace vyx::compiler
