// The access-log subcommands of the CLI (`mamori logs …`).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_common.hpp"

namespace mamori::cli {

void AddLogsCommands(CLI::App& app, Globals& g, int& rc);

}  // namespace mamori::cli
