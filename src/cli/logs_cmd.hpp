// The access-log subcommands of the CLI (`mamori logs …`).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>

#include "cli/cli_common.hpp"
#include "logs/sources.hpp"

namespace mamori::cli {

void AddLogsCommands(CLI::App& app, Globals& g, int& rc);
// sources, calendar, review, reviews, signoff (logs_review_cmd.cpp); `dir` gives the log dir.
void AddLogsRegistryCommands(CLI::App& logs, Globals& g, int& rc,
                             std::function<std::string()> dir_of);
// Reads the organisation's log-source registry (ログリスト) into a matcher for the receivers;
// nullptr when the database cannot be read. The receivers call it again while they run.
std::function<std::shared_ptr<const logs::SourceMatcher>()> RegistryMatcher(const Globals& g);

}  // namespace mamori::cli
