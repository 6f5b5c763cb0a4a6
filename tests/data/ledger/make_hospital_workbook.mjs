// Writes hospital_ledger.xlsx and its twin hospital_ledger_twin_cp932.csv: the ledger of a
// fictional hospital (みなと架空記念病院) as an IT person keeps it in Excel — a cover sheet, the
// ledger under a merged title and a note row, Japanese header variants, a location merged over
// two rows, dates typed as dates (one in a 和暦 format), several IPs and programs in one cell,
// full-width characters, unused pre-numbered rows, a change-log sheet, a hidden sheet, and bad
// rows (invalid IP, invalid MAC, impossible date, duplicated computer name).
// The CSV twin is what the same ledger looks like saved as CSV (Shift_JIS) from Excel after the
// merge was undone: same values, dates as Excel shows them.
//
//   cd web && node ../tests/data/ledger/make_hospital_workbook.mjs
//
// The outputs are committed; this script is how they were made (exceljs from web/node_modules).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(join(process.cwd(), 'package.json'));
const ExcelJS = require('exceljs');
const here = dirname(fileURLToPath(import.meta.url));

const header = ['No.', '機器名', 'ｺﾝﾋﾟｭｰﾀ名', '種別', 'メーカ', '型番', 'シリアルNo', 'ＯＳ',
  'OSのバージョン', 'IPｱﾄﾞﾚｽ', 'MACアドレス', '設置場所', '使用部署', '主なソフトウェア', '導入日',
  '保守期限', 'リモート保守', '接続方式', '保守業者', 'システム', '備考'];

const d = (y, m, day) => new Date(Date.UTC(y, m - 1, day));
// [values…]; dates are Date objects (written as Excel dates), `wareki` marks the 和暦 format.
const rows = [
  [1, '電子カルテ DBサーバ', 'EMR-DB01', 'サーバー', '架空サーバ製作所', 'DEMO-RX2530 M5', 'ＳＶ２０１９００１',
    'Windows Server', '2019 Standard', '10.10.0.11', '00-1A-2B-3C-4D-01', '本館B1 サーバ室', '情報システム室',
    'SQL Server 2019 15.0.4345.5\nウイルスバスター Corp. XG 14.0', d(2020, 4, 1), d(2027, 3, 31), 'あり',
    '閉域網VPN', '架空電子カルテ株式会社', '電子カルテ', ''],
  [2, '電子カルテ APサーバ', 'EMR-AP01', 'サーバー', '架空サーバ製作所', 'DEMO-RX2530 M5', 'SV2019002',
    'Windows Server', '2019 Standard', '10.10.0.12', '00:1a:2b:3c:4d:02', null /* merged */, '情報システム室',
    'IIS 10.0、.NET Framework 4.8', d(2020, 4, 1), d(2027, 3, 31), 'あり', '閉域網VPN',
    '架空電子カルテ株式会社', '電子カルテ', ''],
  [3, 'PACS 画像サーバ', 'PACS-SV01', 'サーバ', '見本メディカルシステムズ', 'DEMO-PX9', 'PX9-00123',
    'Windows Server', '2016 Standard', '10.10.0.21', '001a.2b3c.4d03', '本館B1 サーバ室', '放射線部',
    'PostgreSQL 12.4', { wareki: d(2019, 5, 1) }, d(2026, 3, 31), 'あり', 'インターネットVPN',
    '見本メディカルシステムズ株式会社', 'PACS', '保守期限切れ（更新検討中）'],
  [4, '電子カルテ端末 3東-1', 'EMR-PC0001', '端末PC', '見本コンピュータ', 'DEMO-BOOK 15', 'NB-0001',
    'Windows 11 Pro', '23H2', '10.20.0.10\n10.20.0.11', '00-1A-2B-3C-5E-01', '本館3F 3東病棟', '3東病棟',
    'Microsoft Office 2021; Adobe Acrobat Reader DC 23.008', d(2023, 10, 2), '', 'なし', '',
    '架空電子カルテ株式会社', '電子カルテ', ''],
  [5, '電子カルテ端末 3東-2', 'ＥＭＲ－ＰＣ０００２', '端末', '見本コンピュータ', 'DEMO-BOOK 15', 'NB-0002',
    'Windows 11 Pro', '23H2', '１０．２０．０．１２', '00-1A-2B-3C-5E-02', '本館3F 3東病棟', '3東病棟',
    'Microsoft Office 2021', d(2023, 10, 2), '', 'なし', '', '架空電子カルテ株式会社', '電子カルテ', ''],
  [6, 'コアスイッチ', 'L3SW-01', 'ネットワーク機器', '架空ネットワーク機器', 'DEMO-SW9300', 'SW93-7781',
    'DemoOS', '17.9.4', '10.10.1.1', '001a.2b3c.4d05', '本館B1 サーバ室', '情報システム室', '',
    d(2021, 4, 1), d(2028, 3, 31), 'なし', '', '', '', ''],
  [7, 'UTM（インターネット境界）', 'UTM-01', 'ネットワーク機器', '架空ネットワーク機器', 'FortiGate 60F',
    'FGT60F0000001', 'FortiOS', '7.0.12', '10.10.1.254', '00-1A-2B-3C-4D-06', '本館B1 サーバ室',
    '情報システム室', '', d(2022, 6, 1), d(2027, 5, 31), 'あり', 'リモートデスクトップ', 'テストネットワーク株式会社',
    '院内ネットワーク', ''],
  [8, 'CT装置', '', '医療機器', '見本医用機器', 'DEMO-CT128', 'CT-128-0042', 'Windows 10 IoT Enterprise LTSC',
    '2019', '10.10.3.10', '', '本館B1 放射線部 CT室', '放射線部', '', d(2018, 11, 20), '', '不明', '',
    '見本医用機器株式会社', 'PACS', 'OSは保守業者のみ変更可'],
  [9, '地域医療連携サービス', '', 'クラウドサービス', '仮想クラウドサービス', 'SaaS', '', '', '', '', '',
    '外部（クラウド）', '地域連携室', '', d(2024, 4, 1), '', 'なし', '', '仮想クラウドサービス株式会社', '', ''],
  // Bad rows: each has one mistake the importer must name.
  [10, '外来端末 1', 'OPD-PC01', '端末PC', '見本コンピュータ', 'DEMO-DESK S', 'DS-0010', 'Windows 10 Pro',
    '22H2', '10.20.0.300', '', '本館1F 外来', '外来', '', d(2019, 4, 1), '', 'なし', '', '', '', ''],
  [11, '外来端末 2', 'OPD-PC02', '端末PC', '見本コンピュータ', 'DEMO-DESK S', 'DS-0011', 'Windows 10 Pro',
    '22H2', '10.20.0.31', '00:1A:2B:3C:4D', '本館1F 外来', '外来', '', d(2019, 4, 1), '', 'なし', '', '', '', ''],
  [12, '外来端末 3', 'OPD-PC03', '端末PC', '見本コンピュータ', 'DEMO-DESK S', 'DS-0012', 'Windows 10 Pro',
    '22H2', '10.20.0.32', '', '本館1F 外来', '外来', '', '2024/2/30', '', 'なし', '', '', '', ''],
  [13, '電子カルテ端末（重複）', 'EMR-PC0001', '端末PC', '見本コンピュータ', 'DEMO-BOOK 15', 'NB-0099',
    'Windows 11 Pro', '23H2', '10.20.0.99', '', '本館4F', '4東病棟', '', '', '', 'なし', '', '', '', ''],
  [14], [15], [16],
];

// ---- the workbook -------------------------------------------------------------------------
const wb = new ExcelJS.Workbook();
wb.creator = 'mamori tests';
wb.created = new Date(Date.UTC(2026, 3, 1));
const cover = wb.addWorksheet('表紙');
cover.getCell('A1').value = 'みなと架空記念病院　機器台帳（架空・テスト用）';
cover.getCell('A3').value = '管理責任者: 情報システム室長';

const ws = wb.addWorksheet('機器台帳');
ws.getCell('A1').value = '医療機器・情報機器 管理台帳';
ws.mergeCells('A1:H1');
ws.getCell('A2').value = '作成: 情報システム室　令和8年4月1日現在';
header.forEach((h, i) => { ws.getRow(4).getCell(i + 1).value = h; });
rows.forEach((r, ri) => {
  const row = ws.getRow(5 + ri);
  r.forEach((v, ci) => {
    const cell = row.getCell(ci + 1);
    if (v === null || v === '') return;
    if (v instanceof Date) {
      cell.value = v;
      cell.numFmt = 'yyyy/m/d';
    } else if (v && v.wareki) {
      cell.value = v.wareki;
      cell.numFmt = '[$-ja-JP-x-gannen]ggge"年"m"月"d"日"';
    } else {
      cell.value = v;
      if (typeof v === 'string' && v.includes('\n')) cell.alignment = { wrapText: true };
    }
  });
});
// 設置場所 of rows 1 and 2 (Excel rows 5–6) is one merged cell.
ws.mergeCells('L5:L6');

const log = wb.addWorksheet('変更履歴');
log.addRow(['日付', '内容', '担当']);
log.addRow([d(2026, 4, 1), '年度更新', '情報システム室']);
const hidden = wb.addWorksheet('作業用', { state: 'hidden' });
hidden.addRow(['名称', 'ホスト名', 'IPアドレス']);
hidden.addRow(['作業メモ', 'TMP-PC', '10.99.0.1']);

await wb.xlsx.writeFile(join(here, 'hospital_ledger.xlsx'));

// ---- the CSV twin (what Excel writes as "CSV (コンマ区切り)" in Shift_JIS) ----------------------
const wareki = (dt) => `令和${dt.getUTCFullYear() - 2018 === 1 ? '元' : dt.getUTCFullYear() - 2018}年${dt.getUTCMonth() + 1}月${dt.getUTCDate()}日`;
const ymd = (dt) => `${dt.getUTCFullYear()}/${dt.getUTCMonth() + 1}/${dt.getUTCDate()}`;
const field = (v) => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return ymd(v);
  if (v.wareki) return wareki(v.wareki);
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const lines = [
  '医療機器・情報機器 管理台帳,,,,,,,,,,,,,,,,,,,,',
  '作成: 情報システム室　令和8年4月1日現在,,,,,,,,,,,,,,,,,,,,',
  ',,,,,,,,,,,,,,,,,,,,',
  header.join(','),
];
rows.forEach((r, ri) => {
  const cells = [];
  for (let i = 0; i < header.length; i++) {
    let v = r[i];
    if (ri === 1 && i === 11) v = rows[0][11];  // the merge undone
    cells.push(field(v));
  }
  lines.push(cells.join(','));
});
const utf8 = join(here, 'twin.utf8.tmp');
writeFileSync(utf8, lines.join('\r\n') + '\r\n');
const sjis = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP932', utf8]);
writeFileSync(join(here, 'hospital_ledger_twin_cp932.csv'), sjis);
execFileSync('rm', [utf8]);
console.log('wrote hospital_ledger.xlsx and hospital_ledger_twin_cp932.csv');
