#include "ledger/ledger_report.hpp"

#include <algorithm>

#include "core/crypto.hpp"
#include "ledger/completeness.hpp"
#include "ledger/import/ledger_export.hpp"
#include "report/pdf.hpp"

namespace mamori::ledger {

namespace {

constexpr size_t kMaxListed = 40;  // rows per list; the rest are counted

std::string N(int64_t n) {
  return std::to_string(n);
}

std::string Percent(int part, int whole) {
  if (whole == 0) return "-";
  return std::to_string((part * 1000 / whole + 5) / 10) + "%";
}

}  // namespace

Result<LedgerReportRecord> GenerateManagementReport(LedgerService& ledger, const Scope& scope,
                                                    const ReportInput& in) {
  MAMORI_ASSIGN_OR_RETURN(auto assets, ledger.AllAssets(scope));
  MAMORI_ASSIGN_OR_RETURN(auto names, import::NamesOf(ledger, scope));
  MAMORI_ASSIGN_OR_RETURN(auto previous, ledger.ListReports(scope));
  UnixMillis since = previous.empty() ? 0 : previous.front().generated_at;
  MAMORI_ASSIGN_OR_RETURN(auto changes, ledger.AssetChangesSince(scope, since));
  std::string today = FormatDateJst(in.now);
  MAMORI_ASSIGN_OR_RETURN(
      Completeness c, LedgerCompleteness(ledger, scope, assets, today, in.confirm_interval_days));

  std::string date_line = FormatWarekiJst(in.now) + "（" + today + "）";
  report::PdfDocument pdf("機器台帳 状況報告 " + today,
                          in.org_name + "　機器台帳 状況報告　" + date_line);
  pdf.Title("機器台帳 状況報告（経営層への報告）");
  pdf.Paragraph(in.org_name);
  pdf.Paragraph("報告日: " + date_line + "　作成者: " + scope.actor.username);
  pdf.Paragraph(since ? "対象期間: 前回報告（" + FormatWarekiJst(since) + "）以降"
                      : "対象期間: 初回の報告");
  pdf.Paragraph(
      "医療法施行規則第14条第2項および「医療機関におけるサイバーセキュリティ対策チェックリスト」"
      "2-(1) に基づき、医療情報システムを構成する機器の台帳の状況を報告します。数値はすべて"
      "報告日時点の台帳から計算したものです。",
      true);

  pdf.Heading("1. 台帳の概要");
  std::vector<std::vector<std::string>> rows;
  for (const char* cat : {"server", "pc", "network", "medical", "cloud", "other"}) {
    const auto& s = c.by_category.at(cat);
    rows.push_back({import::CategoryJa(cat), N(s.total), N(s.incomplete),
                    Percent(s.total - s.incomplete, s.total), N(s.support_ended), N(s.remote_yes),
                    N(s.remote_unknown)});
  }
  const auto& o = c.overall;
  rows.push_back({"合計", N(o.total), N(o.incomplete), Percent(o.total - o.incomplete, o.total),
                  N(o.support_ended), N(o.remote_yes), N(o.remote_unknown)});
  pdf.Table({"区分", "台数", "未記入あり", "記入完了率", "サポート終了", "リモート保守あり",
             "リモート保守 不明"},
            {0.2, 0.1, 0.13, 0.13, 0.14, 0.15, 0.15}, rows);

  pdf.Heading("2. 前回報告からの変更");
  int64_t created = 0;
  int64_t updated = 0;
  for (const auto& [action, n] : changes) {
    if (action.find("create") != std::string::npos) created += n;
    if (action.find("update") != std::string::npos) updated += n;
  }
  pdf.Paragraph("新たに登録した機器: " + N(created) + "台　記載を更新した機器: " + N(updated) +
                "件（監査証跡より）");
  pdf.Paragraph("台帳未登録の機器（ネットワーク上で見つかり、台帳にないもの）: " +
                N(c.pending_discovered) + "台");

  pdf.Heading("3. サポート（保守期限）が終了している機器");
  std::vector<const Asset*> ended;
  for (const auto& a : assets)
    if (!a.support_end.empty() && a.support_end < today) ended.push_back(&a);
  std::sort(ended.begin(), ended.end(),
            [](const Asset* x, const Asset* y) { return x->support_end < y->support_end; });
  if (ended.empty()) {
    pdf.Paragraph("ありません。");
  } else {
    rows.clear();
    for (size_t i = 0; i < ended.size() && i < kMaxListed; ++i) {
      const Asset& a = *ended[i];
      rows.push_back({a.name, a.computer_name, import::CategoryJa(a.category),
                      a.os + " " + a.os_version, a.support_end});
    }
    pdf.Table({"名称", "ホスト名", "区分", "OS", "保守期限"}, {0.3, 0.17, 0.15, 0.23, 0.15}, rows);
    if (ended.size() > kMaxListed)
      pdf.Paragraph("ほか " + N(static_cast<int64_t>(ended.size() - kMaxListed)) + "台", true);
  }

  pdf.Heading("4. リモート保守を行っている機器（チェックリスト 2-(2)）");
  rows.clear();
  size_t listed = 0;
  int remote_total = 0;
  for (const auto& a : assets) {
    if (a.remote_maintenance != "yes") continue;
    ++remote_total;
    if (listed++ >= kMaxListed) continue;
    std::string vendor =
        a.vendor_id && names.vendors.contains(*a.vendor_id) ? names.vendors.at(*a.vendor_id) : "";
    std::string restricted = a.remote_source_restricted == "yes"  ? "制限あり"
                             : a.remote_source_restricted == "no" ? "制限なし（要対応）"
                                                                  : "不明（要確認）";
    rows.push_back({a.name, vendor, a.remote_method.empty() ? "（未記入）" : a.remote_method,
                    restricted, a.remote_confirmed_on.empty() ? "未確認" : a.remote_confirmed_on});
  }
  if (rows.empty()) {
    pdf.Paragraph("ありません。");
  } else {
    pdf.Table({"名称", "保守業者", "接続方式", "接続元の制限", "最終確認日"},
              {0.27, 0.25, 0.16, 0.17, 0.15}, rows);
    if (remote_total > static_cast<int>(kMaxListed))
      pdf.Paragraph("ほか " + N(remote_total - static_cast<int>(kMaxListed)) + "台", true);
  }
  pdf.Paragraph("接続元が制限されていない、または確認から" + N(in.confirm_interval_days) +
                    "日を超えたもの: " + N(static_cast<int64_t>(c.remote_attention_ids.size())) +
                    "台",
                true);

  pdf.Heading("5. 台帳の記入状況（チェックリスト 2-(1)）");
  rows.clear();
  for (const auto& [field, n] : o.missing) rows.push_back({MissingFieldJa(field), N(n)});
  if (rows.empty())
    pdf.Paragraph("すべての機器で、必要な項目が記入されています。");
  else
    pdf.Table({"未記入の項目", "機器の台数"}, {0.5, 0.5}, rows);

  pdf.Heading("6. MDS/SDS の入手状況（チェックリスト 2-(3)）");
  pdf.Paragraph("事業者が提供するシステム: " + N(c.vendor_systems) +
                "件　MDS未入手: " + N(static_cast<int64_t>(c.missing_mds.size())) +
                "件　SDS未入手: " + N(static_cast<int64_t>(c.missing_sds.size())) + "件");
  rows.clear();
  for (const auto& m : c.missing_mds) {
    bool sds = std::any_of(c.missing_sds.begin(), c.missing_sds.end(),
                           [&](const auto& x) { return x.id == m.id; });
    rows.push_back({m.name, "未入手", sds ? "未入手" : "入手済"});
  }
  for (const auto& m : c.missing_sds)
    if (std::none_of(c.missing_mds.begin(), c.missing_mds.end(),
                     [&](const auto& x) { return x.id == m.id; }))
      rows.push_back({m.name, "入手済", "未入手"});
  if (!rows.empty()) pdf.Table({"システム", "MDS", "SDS"}, {0.5, 0.25, 0.25}, rows);

  MAMORI_ASSIGN_OR_RETURN(std::string bytes, pdf.Finish());
  LedgerReportRecord rec;
  rec.generated_at = in.now;
  rec.generated_by = scope.actor.username;
  rec.since = since;
  rec.file_name = "ledger-report-" + today + ".pdf";
  rec.sha256 = Sha256Hex(bytes);
  rec.summary = Json{{"completeness", c.ToJson()},
                     {"created_since", created},
                     {"updated_since", updated},
                     {"pending_discovered", c.pending_discovered}};
  rec.summary["completeness"].erase("incomplete_ids");
  rec.pdf = std::move(bytes);
  MAMORI_ASSIGN_OR_RETURN(auto stored, ledger.StoreReport(scope, rec));
  stored.pdf = rec.pdf;
  return stored;
}

}  // namespace mamori::ledger
