// The command line: the only place that prints to the terminal and picks an exit code.
#pragma once

namespace keyhound {

// Exit codes: 0 nothing new found, 1 findings, 2 error.
int run_cli(int argc, char** argv);

}  // namespace keyhound
