#include "cli/cli.hpp"

int main(int argc, char** argv) {
  return keyhound::run_cli(argc, argv);
}
