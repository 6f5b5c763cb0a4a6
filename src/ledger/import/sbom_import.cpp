#include "ledger/import/sbom_import.hpp"

#include "core/crypto.hpp"
#include "core/text.hpp"

namespace mamori::ledger::import {

Json SbomImportReport::ToJson() const {
  auto m = sbom.MinimumElements();
  return Json{{"format", sbom.format},
              {"encoding", sbom.encoding},
              {"spec_version", sbom.spec_version},
              {"subject", stored.subject},
              {"author", sbom.author},
              {"created", sbom.created},
              {"target", target},
              {"document", stored.ToJson()},
              {"components", sbom.components.size()},
              {"replaced", replaced},
              {"unchanged", unchanged},
              {"dry_run", dry_run},
              // CISA minimum elements: what the document lacks.
              {"minimum_elements",
               {{"author", m.has_author},
                {"timestamp", m.has_timestamp},
                {"dependencies", m.has_dependencies},
                {"without_supplier", m.without_supplier},
                {"without_version", m.without_version},
                {"without_identifier", m.without_identifier}}}};
}

Result<SbomImportReport> ImportSbom(LedgerService& ledger, const Scope& scope,
                                    std::string_view bytes, const SbomImportOptions& opt) {
  SbomImportReport report;
  report.dry_run = opt.dry_run;
  MAMORI_ASSIGN_OR_RETURN(report.sbom, formats::ReadSbom(bytes, opt.file));
  const formats::Sbom& s = report.sbom;

  SbomDocument doc;
  if (!opt.asset.empty()) {
    MAMORI_ASSIGN_OR_RETURN(auto assets, ledger.AllAssets(scope));
    bool digits = opt.asset.find_first_not_of("0123456789") == std::string::npos;
    for (const auto& a : assets) {
      if ((digits && std::to_string(a.id) == opt.asset) ||
          (!a.computer_name.empty() && MatchKey(a.computer_name) == MatchKey(opt.asset))) {
        doc.asset_id = a.id;
        report.target = "asset " + std::to_string(a.id) + " " + a.name;
        break;
      }
    }
    if (!doc.asset_id)
      return MakeError(ErrorCode::kNotFound, "sbom.no_asset", {opt.asset}, "--asset");
  } else if (!opt.product.empty()) {
    auto slash = opt.product.find('/');
    std::string maker = Trim(opt.product.substr(0, slash));
    std::string model = slash == std::string::npos ? "" : Trim(opt.product.substr(slash + 1));
    doc.product_key = ProductKey(maker, model);
    report.target = "product " + maker + "/" + model;
  } else {
    // The SBOM names its product: a model in the ledger whose maker and model match it.
    MAMORI_ASSIGN_OR_RETURN(auto assets, ledger.AllAssets(scope));
    for (const auto& a : assets) {
      if (a.model.empty() || s.subject_name.empty()) continue;
      bool model = MatchKey(a.model) == MatchKey(s.subject_name);
      bool maker = s.subject_supplier.empty() || MatchKey(a.maker) == MatchKey(s.subject_supplier);
      if (model && maker) {
        doc.product_key = ProductKey(a.maker, a.model);
        report.target = "product " + a.maker + "/" + a.model;
        break;
      }
    }
    if (doc.product_key.empty())
      return MakeError(ErrorCode::kInvalidArgument, "sbom.need_target", {opt.file}, opt.file);
  }
  doc.format = s.format;
  doc.spec_version = s.spec_version;
  doc.serial_number = s.serial_number;
  doc.subject = Trim(s.subject_name + " " + s.subject_version);
  doc.author = s.author;
  doc.created = s.created;
  doc.file_name = opt.file;
  doc.sha256 = Sha256Hex(bytes);

  std::vector<SoftwareComponent> components;
  components.reserve(s.components.size());
  for (const auto& c : s.components) {
    SoftwareComponent sc;
    sc.source = "sbom";
    sc.name = c.name;
    sc.version = c.version;
    sc.supplier = c.supplier;
    sc.cpe = c.cpe;
    sc.purl = c.purl;
    sc.hashes = c.hashes;
    sc.bom_ref = c.bom_ref;
    sc.depends_on = c.depends_on;
    components.push_back(std::move(sc));
  }
  MAMORI_ASSIGN_OR_RETURN(auto attached, ledger.AttachSbom(scope, doc, components, opt.dry_run));
  report.stored = attached.doc;
  report.replaced = attached.replaced;
  report.unchanged = attached.unchanged;
  return report;
}

}  // namespace mamori::ledger::import
