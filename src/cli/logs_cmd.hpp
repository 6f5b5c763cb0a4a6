// The access-log subcommands of the CLI (`mamori logs …`).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/cli_common.hpp"

namespace mamori::cli {

void AddLogsCommands(CLI::App& app, Globals& g, int& rc);
// sources, calendar, review, reviews, signoff (logs_review_cmd.cpp); `dir` gives the log dir.
void AddLogsRegistryCommands(CLI::App& logs, Globals& g, int& rc,
                             std::function<std::string()> dir_of);

}  // namespace mamori::cli
