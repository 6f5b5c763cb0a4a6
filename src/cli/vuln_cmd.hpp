// The vulnerability subcommands of the CLI.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_common.hpp"
#include "vuln/vuln_service.hpp"

namespace mamori::cli {

void AddVulnCommands(CLI::App& app, Globals& g, int& rc);
// `vuln bundle …` and `vuln feed …` (vuln_bundle_cmd.cpp), added under `vuln`.
void AddVulnBundleCommands(CLI::App& vuln, Globals& g, int& rc);

// The services a vulnerability command works with, on the CLI's organisation.
struct VulnServices {
  OrgDb opened;
  std::unique_ptr<ledger::LedgerService> ledger;
  std::unique_ptr<vuln::VulnService> vuln;
  ledger::Scope scope;
};
Result<std::unique_ptr<VulnServices>> OpenVulnServices(const Globals& g);

}  // namespace mamori::cli
