// The findings' Excel export read by the npm exceljs package: the sheets an IT manager hands on
// (概要, CVE別, 検出一覧), every finding of `mamori vuln findings --json` on its row with the same
// values, dates as real Excel dates, the CVE sheet's counts matching `vuln cves --json`, and the
// summary dated in 和暦 with the filters it was made with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.env.NODE_PATH, 'exceljs', 'package.json'));
const ExcelJS = require('exceljs');
const bin = process.env.MAMORI_BIN;
const dir = mkdtempSync(join(tmpdir(), 'mamori-findings-'));
const db = join(dir, 'demo.db');
const run = (...args) => execFileSync(bin, ['--db', db, ...args], { encoding: 'utf8' });
const iso = (d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d);

test('exceljs reads the findings export as the CLI lists them', async () => {
  run('demo', 'seed');
  // One decision recorded first, so that a state, a reason and dates travel too.
  const one = JSON.parse(run('--json', 'vuln', 'findings', '--cve', 'CVE-2023-38408'))[0];
  run('vuln', 'triage', String(one.id), '--state', 'accepted', '--note', '閉域網・業者の修正版待ち',
    '--approver', '院長', '--review-date', '2099-03-31');
  const findings = JSON.parse(run('--json', 'vuln', 'findings'));
  const cves = JSON.parse(run('--json', 'vuln', 'cves'));
  assert.ok(findings.length > 100, `${findings.length} findings`);

  const file = join(dir, 'findings.xlsx');
  assert.equal(run('vuln', 'export', '-o', file).trim(), file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  assert.deepEqual(wb.worksheets.map((w) => w.name), ['概要', 'CVE別', '検出一覧']);

  const sum = wb.getWorksheet('概要');
  assert.match(String(sum.getCell('A1').value), /^脆弱性対応状況　デモ総合病院/);
  assert.match(String(sum.getCell('A2').value), /^出力日: 令和\d+年\d+月\d+日（\d{4}-\d{2}-\d{2}）$/);
  assert.equal(sum.getCell('A3').value, '条件: すべて');

  const list = wb.getWorksheet('検出一覧');
  const header = list.getRow(1).values.slice(1);
  const col = (name) => header.indexOf(name) + 1;
  assert.ok(col('検出ID') > 0 && col('状態') > 0 && col('再評価日') > 0, header.join(','));
  assert.equal(list.rowCount, findings.length + 1);
  const rows = new Map();
  list.eachRow((r, n) => { if (n > 1) rows.set(r.getCell(col('検出ID')).value, r); });
  for (const f of findings) {
    const r = rows.get(f.id);
    assert.ok(r, `finding ${f.id} on the sheet`);
    assert.equal(r.getCell(col('CVE')).value, f.cve);
    assert.equal(r.getCell(col('機器')).value, f.asset);
    assert.equal(r.getCell(col('ソフトウェア')).value, f.component);
    assert.equal(r.getCell(col('状態')).value, f.state_label);
    if (f.cvss.vector) assert.equal(r.getCell(col('CVSS')).value, f.cvss.score);
    if (f.due_date) {
      assert.ok(r.getCell(col('対応期限')).value instanceof Date, 'a real date');
      assert.equal(iso(r.getCell(col('対応期限')).value), f.due_date);
    }
  }
  const accepted = rows.get(one.id);
  assert.equal(accepted.getCell(col('状態')).value, 'リスク受容');
  assert.equal(accepted.getCell(col('理由・メモ')).value, '閉域網・業者の修正版待ち');
  assert.equal(accepted.getCell(col('承認者')).value, '院長');
  assert.equal(iso(accepted.getCell(col('再評価日')).value), '2099-03-31');

  const byCve = wb.getWorksheet('CVE別');
  assert.equal(byCve.rowCount, cves.length + 1);
  cves.forEach((c, i) => {
    const r = byCve.getRow(i + 2);
    assert.equal(r.getCell(1).value, c.cve);
    assert.equal(r.getCell(7).value, c.open);
    assert.equal(r.getCell(8).value, c.findings);
    assert.equal(r.getCell(9).value, c.assets);
  });

  // A filtered export says what it holds.
  const kev = join(dir, 'kev.xlsx');
  run('vuln', 'export', '--kev', '--state', 'open', '-o', kev);
  const wk = new ExcelJS.Workbook();
  await wk.xlsx.readFile(kev);
  assert.equal(wk.getWorksheet('概要').getCell('A3').value, '条件: 状態: 未対応（未評価・影響あり）、KEV 掲載のみ');
  const kevCount = JSON.parse(run('--json', 'vuln', 'findings', '--kev', '--state', 'open')).length;
  assert.equal(wk.getWorksheet('検出一覧').rowCount, kevCount + 1);
});
