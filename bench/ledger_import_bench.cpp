// Ledger import benchmark: a 10 000-row hospital workbook (written here with libxlsxwriter: title
// rows, Japanese headers, dates, several programs per cell), imported by the real `mamori`
// binary into a fresh SQLite database and again into the same one (every row unchanged);
// reported against the time and memory it takes merely to read the same workbook with the XLSX
// reader the import uses, measured in the same run. Each measurement is a separate process
// (fork/exec) so its peak RSS is its own; medians of several runs.
//
//   ledger_import_bench MAMORI_BINARY WORK_DIR [ROWS]   → a Markdown table on stdout
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "formats/xlsx_reader.hpp"

namespace {

struct Sample {
  double seconds = 0;
  long max_rss_kib = 0;
  int status = 0;
};

// Runs `fn` in a child process; wall time and the child's peak RSS.
template <typename Fn>
Sample InChild(Fn fn) {
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) _exit(fn());
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  Sample s;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.max_rss_kib = ru.ru_maxrss;
  s.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return s;
}

Sample Exec(const std::vector<std::string>& argv) {
  return InChild([&] {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    execv(args[0], args.data());
    return 127;
  });
}

Sample Median(std::vector<Sample> v) {
  std::sort(v.begin(), v.end(),
            [](const Sample& a, const Sample& b) { return a.seconds < b.seconds; });
  return v[v.size() / 2];
}

void WriteWorkbook(const std::string& path, int rows) {
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* cover = workbook_add_worksheet(wb, "表紙");
  worksheet_write_string(cover, 0, 0, "ベンチマーク総合病院（架空） 機器台帳", nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "機器台帳");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy/m/d");
  worksheet_write_string(ws, 0, 0, "医療機器・情報機器 管理台帳", nullptr);
  worksheet_merge_range(ws, 0, 0, 0, 7, "医療機器・情報機器 管理台帳", nullptr);
  worksheet_write_string(ws, 1, 0, "作成: 情報システム室　令和8年4月1日現在", nullptr);
  const char* headers[] = {"No.",
                           "機器名",
                           "ｺﾝﾋﾟｭｰﾀ名",
                           "種別",
                           "メーカ",
                           "型番",
                           "シリアルNo",
                           "ＯＳ",
                           "OSのバージョン",
                           "IPｱﾄﾞﾚｽ",
                           "MACアドレス",
                           "設置場所",
                           "使用部署",
                           "主なソフトウェア",
                           "導入日",
                           "リモート保守"};
  for (int c = 0; c < 16; ++c) worksheet_write_string(ws, 3, c, headers[c], nullptr);
  const char* wards[] = {"本館3F 3東病棟", "本館3F 3西病棟", "本館4F 4東病棟",
                         "本館1F 外来",    "本館2F 検査部",  "本館B1 放射線部"};
  const char* cats[] = {"端末PC", "端末PC", "端末PC", "サーバ", "ネットワーク機器", "医療機器"};
  for (int i = 0; i < rows; ++i) {
    auto r = static_cast<lxw_row_t>(4 + i);
    char buf[64];
    worksheet_write_number(ws, r, 0, i + 1, nullptr);
    std::snprintf(buf, sizeof buf, "電子カルテ端末 %d", i + 1);
    worksheet_write_string(ws, r, 1, buf, nullptr);
    std::snprintf(buf, sizeof buf, "PC-%05d", i + 1);
    worksheet_write_string(ws, r, 2, buf, nullptr);
    worksheet_write_string(ws, r, 3, cats[i % 6], nullptr);
    worksheet_write_string(ws, r, 4, i % 3 ? "見本コンピュータ" : "架空PCメーカー", nullptr);
    worksheet_write_string(ws, r, 5, i % 2 ? "DEMO-BOOK 15" : "DEMO-DESK S", nullptr);
    std::snprintf(buf, sizeof buf, "SN%08d", i);
    worksheet_write_string(ws, r, 6, buf, nullptr);
    worksheet_write_string(ws, r, 7, "Windows 11 Pro", nullptr);
    worksheet_write_string(ws, r, 8, "23H2", nullptr);
    std::snprintf(buf, sizeof buf, "10.%d.%d.%d", 20 + i / 62500, (i / 250) % 250, 10 + i % 240);
    worksheet_write_string(ws, r, 9, buf, nullptr);
    std::snprintf(buf, sizeof buf, "02-00-%02X-%02X-%02X-%02X", (i >> 24) & 255, (i >> 16) & 255,
                  (i >> 8) & 255, i & 255);
    worksheet_write_string(ws, r, 10, buf, nullptr);
    worksheet_write_string(ws, r, 11, wards[i % 6], nullptr);
    worksheet_write_string(ws, r, 12, wards[(i + 1) % 6], nullptr);
    worksheet_write_string(ws, r, 13, "Microsoft Office 2021 16.0\nAdobe Acrobat Reader DC 23.008",
                           nullptr);
    lxw_datetime d{2021 + i % 4, 1 + i % 12, 1 + i % 28, 0, 0, 0};
    worksheet_write_datetime(ws, r, 14, &d, date);
    worksheet_write_string(ws, r, 15, i % 7 ? "なし" : "あり", nullptr);
  }
  workbook_close(wb);
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MAMORI_BINARY WORK_DIR [ROWS]\n", argv[0]);
    return 2;
  }
  std::string bin = argv[1];
  std::string dir = argv[2];
  int rows = argc > 3 ? std::atoi(argv[3]) : 10000;
  std::string xlsx = dir + "/ledger-" + std::to_string(rows) + ".xlsx";
  WriteWorkbook(xlsx, rows);
  long file_kib = static_cast<long>(Read(xlsx).size() / 1024);

  // Baseline: read the workbook (unzip + XML + cells) and nothing else.
  std::vector<Sample> read;
  for (int i = 0; i < 5; ++i)
    read.push_back(InChild([&] {
      std::string bytes = Read(xlsx);
      auto wb = mamori::formats::ReadXlsx(bytes, "bench.xlsx");
      // title, note, header and the data rows
      return wb.ok() && wb->sheets.size() == 2 &&
                     wb->sheets[1].rows.size() == static_cast<size_t>(rows) + 3
                 ? 0
                 : 1;
    }));
  // Import into a fresh database: every row created, with its audit record, in one transaction.
  std::vector<Sample> fresh;
  std::vector<Sample> again;
  for (int i = 0; i < 3; ++i) {
    std::string db = dir + "/import-" + std::to_string(i) + ".db";
    std::remove(db.c_str());
    if (Exec({bin, "--db", db, "init"}).status != 0) return 1;
    fresh.push_back(Exec({bin, "--db", db, "--json", "ledger", "import", xlsx}));
    // The same file again: every row matched and unchanged, nothing written.
    again.push_back(Exec({bin, "--db", db, "--json", "ledger", "import", xlsx}));
  }
  Sample r = Median(read);
  Sample f = Median(fresh);
  Sample a = Median(again);
  for (const auto* s : {&r, &f, &a})
    if (s->status != 0) {
      std::fprintf(stderr, "bench: a run failed (exit %d)\n", s->status);
      return 1;
    }
  auto row = [&](const char* what, const Sample& s) {
    std::printf("| %s | %.2f | %.1f× | %.0f | %.1f× | %.0f |\n", what, s.seconds,
                s.seconds / r.seconds, s.max_rss_kib / 1024.0,
                static_cast<double>(s.max_rss_kib) / static_cast<double>(r.max_rss_kib),
                rows / s.seconds);
  };
  std::printf(
      "Workbook: %d rows × 16 columns on one sheet under title rows, plus a cover sheet "
      "(%ld KiB). Medians of 5 (read) and 3 (imports) runs, each its own process.\n\n",
      rows, file_kib);
  std::printf("| step | seconds | vs read | peak RSS MiB | RSS vs read | rows/s |\n");
  std::printf("|---|---|---|---|---|---|\n");
  row("read the workbook (baseline: minizip + pugixml + cells)", r);
  row("`mamori ledger import` into an empty ledger (every row created, with audit records)", f);
  row("`mamori ledger import` of the same file again (all unchanged)", a);
  return 0;
}
