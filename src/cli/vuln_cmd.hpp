// The vulnerability subcommands of the CLI.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_common.hpp"

namespace mamori::cli {

void AddVulnCommands(CLI::App& app, Globals& g, int& rc);

}  // namespace mamori::cli
