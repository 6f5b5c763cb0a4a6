// The checklist and organisation-record subcommands of the CLI.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_common.hpp"

namespace mamori::cli {

void AddChecklistCommands(CLI::App& app, Globals& g, int& rc);
void AddOrgCommands(CLI::App& app, Globals& g, int& rc);

}  // namespace mamori::cli
