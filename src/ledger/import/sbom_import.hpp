// An SBOM (CycloneDX or SPDX) imported as the software components of one asset or of a product
// model (every asset of that maker and model: the usual case for a medical device, whose maker
// publishes one SBOM per model and software version).
#pragma once

#include <string>
#include <string_view>

#include "formats/sbom.hpp"
#include "ledger/ledger_service.hpp"

namespace mamori::ledger::import {

struct SbomImportOptions {
  std::string file;     // for messages and the record
  std::string asset;    // an asset id or computer name
  std::string product;  // "maker/model"
  bool dry_run = false;
};

struct SbomImportReport {
  formats::Sbom sbom;  // header fields; components as read
  SbomDocument stored;
  std::string target;  // as shown: "資産 12 EMR-DB01" / "機種 見本医用機器/DEMO-CT128"
  int64_t replaced = 0;
  bool unchanged = false;
  bool dry_run = false;
  [[nodiscard]] Json ToJson() const;
};

// Without --asset or --product, the SBOM's own subject (supplier and name) is matched against
// the makers and models in the ledger; when that finds nothing, the caller must say.
Result<SbomImportReport> ImportSbom(LedgerService& ledger, const Scope& scope,
                                    std::string_view bytes, const SbomImportOptions& opt);

}  // namespace mamori::ledger::import
