// `vyxc_serve_stub serve ...`: the HTTP service over the stub compiler.
#include "serve_command.hpp"

int main(int argc, char** argv) { return vyx::compiler::serve_command(argc, argv); }
