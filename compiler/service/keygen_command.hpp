// `vyxc keygen`: makes the compile service's artifact signing key.
#pragma once

namespace vyx::compiler {

int keygen_command(int argc, char** argv);

}  // namespace vyx::compiler
