// The ledger's XLSX export read by a program no one here wrote: the npm exceljs package. Every
// asset of `mamori ledger list --json` must appear on its category's sheet with the same values,
// dates must be real Excel dates, and the summary sheet's counts must match the list.
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
const dir = mkdtempSync(join(tmpdir(), 'mamori-peer-'));
const db = join(dir, 'demo.db');
const run = (...args) => execFileSync(bin, ['--db', db, ...args], { encoding: 'utf8' });

const sheetOf = { server: 'サーバ', pc: '端末PC', network: 'ネットワーク機器', medical: '医療機器', cloud: 'クラウドサービス', other: 'その他' };

test('exceljs reads the export exactly as the ledger lists it', async () => {
  run('demo', 'seed');
  const file = join(dir, 'ledger.xlsx');
  run('ledger', 'export', '--format', 'xlsx', '-o', file);
  const assets = JSON.parse(run('--json', 'ledger', 'list'));
  assert.equal(assets.length, 309);

  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  assert.deepEqual(wb.worksheets.map((w) => w.name), ['概要', ...Object.values(sheetOf)]);

  const text = (v) => (v === null || v === undefined ? '' : typeof v === 'object' && v.richText ? v.richText.map((r) => r.text).join('') : String(v));
  for (const [cat, name] of Object.entries(sheetOf)) {
    const ws = wb.getWorksheet(name);
    const header = ws.getRow(1).values.slice(1);
    const col = (h) => header.indexOf(h) + 1;
    assert.ok(col('ホスト名') > 0 && col('導入日') > 0 && col('IPアドレス') > 0);
    const expected = assets.filter((a) => a.category === cat);
    assert.equal(ws.actualRowCount - 1, expected.length, name);
    expected.forEach((a, i) => {
      const row = ws.getRow(i + 2);
      assert.equal(text(row.getCell(col('名称')).value), a.name);
      assert.equal(text(row.getCell(col('ホスト名')).value), a.computer_name);
      assert.equal(text(row.getCell(col('IPアドレス')).value), a.ips.join('\n'));
      assert.equal(text(row.getCell(col('設置場所')).value), a.location);
      const sw = a.software.filter((s) => s.source === 'ledger').map((s) => s.raw || `${s.name} ${s.version}`.trim());
      assert.equal(text(row.getCell(col('主なソフトウェア')).value), sw.join('\n'));
      const bought = row.getCell(col('導入日')).value;
      if (a.purchase_date) {
        assert.ok(bought instanceof Date, `${a.name}: 導入日 is a date cell`);
        assert.equal(bought.toISOString().slice(0, 10), a.purchase_date);
      } else {
        assert.equal(bought, null);
      }
    });
  }

  // 概要: per-category counts; the last row is the total.
  const sum = wb.getWorksheet('概要');
  let total = 0;
  for (let r = 5; r <= 10; r++) {
    const cat = Object.keys(sheetOf).find((k) => sheetOf[k] === sum.getRow(r).getCell(1).value);
    const n = assets.filter((a) => a.category === cat).length;
    assert.equal(sum.getRow(r).getCell(2).value, n, `概要 ${cat}`);
    const incomplete = assets.filter((a) => a.category === cat && a.missing.length > 0).length;
    assert.equal(sum.getRow(r).getCell(3).value, incomplete, `概要 未記入 ${cat}`);
    total += n;
  }
  assert.equal(sum.getRow(11).getCell(1).value, '合計');
  assert.equal(sum.getRow(11).getCell(2).value, total);
});
