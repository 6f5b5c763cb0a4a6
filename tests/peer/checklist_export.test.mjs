// The filled checklist as files other programs read: the Excel form read by the npm exceljs
// package (a sheet for the hospital and one per vendor, answers and 和暦 dates where the CLI put
// them), and the PDF rendered by poppler (pdftoppm to PNG, pdftotext for the text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.env.NODE_PATH, 'exceljs', 'package.json'));
const ExcelJS = require('exceljs');
const bin = process.env.MAMORI_BIN;
const dir = mkdtempSync(join(tmpdir(), 'mamori-checklist-'));
const db = join(dir, 'demo.db');
const run = (...args) => execFileSync(bin, ['--db', db, ...args], { encoding: 'utf8' });

const today = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10); // JST
const fy = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) < 4 ? 1 : 0);
const reiwa = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `令和${y - 2018}年${m}月${d}日`;
};

test('the CLI answers, and exceljs and poppler read the forms back', async () => {
  run('demo', 'seed');
  const forms = JSON.parse(run('--json', 'checklist', 'forms'));
  assert.ok(forms.some((f) => f.year === 'R8' && f.form === 'hospital'));
  const r8 = forms.find((f) => f.year === 'R8' && f.form === 'hospital');
  assert.ok(r8.items.every((i) => i.verified === false), 'R8 texts are carried over, unverified');

  const target = `${fy + 1}-03-31`;
  run('checklist', 'answer', '2-1', '--answer', 'no', '--date', today, '--target', target, '--note', 'IP未記入の端末あり');
  run('checklist', 'answer', '0', '--answer', 'yes', '--date', today);
  const ev = JSON.parse(run('--json', 'checklist', 'evaluate'));
  const row = ev.items.find((i) => i.id === '2-1');
  assert.equal(row.answer, 'no');
  assert.equal(row.first.target_on, target);
  assert.ok(['yes', 'no'].includes(row.suggested));
  assert.ok(row.reasons.length > 0);

  const xlsx = join(dir, 'checklist.xlsx');
  run('checklist', 'export', '--format', 'xlsx', '-o', xlsx);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx);
  const vendors = JSON.parse(run('--json', 'ledger', 'list')).length > 0;
  assert.ok(vendors);
  const names = wb.worksheets.map((w) => w.name);
  assert.equal(names[0], '医療機関確認用');
  assert.ok(names.length > 1 && names.slice(1).every((n) => n.startsWith('事業者確認用_')), names.join(','));
  const ws = wb.getWorksheet('医療機関確認用');
  assert.match(String(ws.getCell('A1').value), /医療機関確認用）令和\d+年度版/);
  const header = ws.getRow(6).values.slice(1);
  assert.deepEqual(header.slice(0, 6), ['番号', 'チェック項目', '対象', '1回目 回答', '1回目 確認日', '目標日']);
  let found = null;
  ws.eachRow((r) => {
    if (r.getCell(1).value === '2-①') found = r;
  });
  assert.ok(found, 'row 2-① present');
  assert.equal(found.getCell(4).value, 'いいえ');
  assert.equal(found.getCell(5).value, reiwa(today));
  assert.equal(found.getCell(6).value, reiwa(target));
  assert.equal(found.getCell(9).value, 'IP未記入の端末あり');

  const pdf = join(dir, 'checklist.pdf');
  run('checklist', 'export', '--format', 'pdf', '-o', pdf);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  assert.match(text, /医療機関におけるサイバーセキュリティ対策チェックリスト/);
  assert.match(text, /別添: 判定の根拠/);
  assert.match(text, /根拠データ未接続/);
  assert.ok(text.includes(`令和${fy + 1 - 2018}年3月`), 'the target date in 和暦 (the cell wraps before the day)');
  execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', pdf, join(dir, 'page')]);
  const png = readFileSync(join(dir, 'page-01.png'));
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(statSync(join(dir, 'page-01.png')).size > 5000, 'the page has content');
  const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
  assert.match(fonts, /NotoSansCJK/);
});

test('the contact chart (SVG, PDF) and the ward poster carry the contact list', () => {
  const svg = join(dir, 'chart.svg');
  run('org', 'contact', 'chart', '-o', svg);
  const text = readFileSync(svg, 'utf8');
  const contacts = JSON.parse(run('--json', 'org', 'contact', 'list'));
  assert.equal((text.match(/<rect /g) || []).length, contacts.length, 'one box per contact');
  assert.equal((text.match(/<line /g) || []).length, contacts.length - 1, 'the chain and the calls out');
  assert.match(text, /【厚生労働省】/);
  // Rendered by chromium to a PNG that is not blank.
  const png = join(dir, 'chart.png');
  execFileSync('chromium', ['--headless', '--disable-gpu', '--no-sandbox', `--screenshot=${png}`, '--window-size=800,600', 'file://' + svg], { stdio: 'ignore' });
  assert.ok(statSync(png).size > 10000);

  const poster = join(dir, 'poster.pdf');
  run('org', 'contact', 'poster', '-o', poster);
  const p = execFileSync('pdftotext', ['-layout', poster, '-'], { encoding: 'utf8' });
  assert.match(p, /サイバー攻撃を受けた場合の対応について（院内掲示用）/);
  assert.match(p, /医療情報システムの保守会社等 緊急連絡先/);
  assert.match(p, /03-6812-7837/);
  assert.match(p, /0120-000-001/);
});
