// `mamori checklist import-official` on a workbook written by the npm exceljs package in the
// layout of the MHLW form (title with the form and 令和N年度, a 番号/チェック項目/対象 header,
// section rows, circled item numbers, an item spread over サーバ/端末PC rows with a merged number
// cell, and one item mamori does not know). The real R8 workbook is not in ../shared; this one is
// built to the published form's visible layout, so the test shows what the reader accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.env.NODE_PATH, 'exceljs', 'package.json'));
const ExcelJS = require('exceljs');
const bin = process.env.MAMORI_BIN;
const dir = mkdtempSync(join(tmpdir(), 'mamori-official-'));
const db = join(dir, 'demo.db');
const run = (...args) => execFileSync(bin, ['--db', db, ...args], { encoding: 'utf8' });

async function officialLikeWorkbook(file, { header = true } = {}) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('医療機関確認用');
  ws.addRow(['医療機関におけるサイバーセキュリティ対策チェックリスト（医療機関確認用）']);
  ws.addRow(['令和８年度版']);
  ws.addRow([]);
  if (header) ws.addRow(['番号', 'チェック項目', '対象', '1回目', '', '2回目']);
  ws.addRow(['0', '医療情報システムを導入、運用している。', '']);
  ws.addRow(['1 体制構築']);
  ws.addRow(['1-①', '医療情報システム安全管理責任者を設置している。', '']);
  ws.addRow(['2 医療情報システムの管理・運用']);
  ws.addRow(['2-①', 'サーバ、端末PC、ネットワーク機器の台帳管理を行っている。（医療情報システム全般）', '']);
  const r1 = ws.addRow(['2-④', '利用者の職種・担当業務別の情報区分毎のアクセス利用権限を設定している。', 'サーバ']);
  ws.addRow(['', '', '端末PC']);
  ws.mergeCells(`A${r1.number}:A${r1.number + 1}`);
  ws.mergeCells(`B${r1.number}:B${r1.number + 1}`);
  ws.addRow(['2-⑭', '生成AIの利用に関する規程を整備している。（架空の新項目）', '']);
  ws.addRow(['3 インシデント発生に備えた対応']);
  ws.addRow(['3-①', 'インシデント発生時における組織内と外部関係機関（事業者、厚生労働省、警察等）への連絡体制図がある。', '']);
  await wb.xlsx.writeFile(file);
}

test('an official-layout workbook replaces the bundled R8 form, keeping known evaluators', async () => {
  run('demo', 'seed');
  const file = join(dir, 'R8_hospital.xlsx');
  await officialLikeWorkbook(file);

  const dry = JSON.parse(run('--json', 'checklist', 'import-official', file, '--dry-run'));
  assert.deepEqual(
    { year: dry.year, form: dry.form, items: dry.items, matched: dry.matched, new_items: dry.new_items, dry_run: dry.dry_run },
    { year: 'R8', form: 'hospital', items: 6, matched: 5, new_items: ['2-14'], dry_run: true });
  let r8 = JSON.parse(run('--json', 'checklist', 'forms')).find((f) => f.key === 'R8-hospital');
  assert.equal(r8.origin, 'bundled', 'a dry run stores nothing');

  run('checklist', 'import-official', file);
  r8 = JSON.parse(run('--json', 'checklist', 'forms')).find((f) => f.key === 'R8-hospital');
  assert.equal(r8.origin, 'imported');
  assert.equal(r8.carried_from, '');
  assert.ok(r8.items.every((i) => i.verified), 'official texts are verified');
  const access = r8.items.find((i) => i.id === '2-4');
  assert.deepEqual(access.rows, ['server', 'pc']);
  assert.equal(access.number, '2-④');
  assert.equal(access.evaluator, 'accounts.access_rights');
  assert.equal(r8.items.find((i) => i.id === '0').gate, true);

  const ev = JSON.parse(run('--json', 'checklist', 'evaluate'));
  assert.equal(ev.carried_from, '');
  const officer = ev.items.find((i) => i.id === '1-1');
  assert.equal(officer.suggested, 'yes', 'the demo has an approved officer');
  const fresh = ev.items.find((i) => i.id === '2-14');
  assert.equal(fresh.suggested, 'no_data');
  assert.deepEqual(fresh.reasons, ['公式様式の新しい項目です。mamori による判定はまだありません']);
  const audit = JSON.parse(run('--json', 'audit', 'list', '--action', 'checklist.form_import'));
  assert.equal(audit.length, 1);
});

test('a workbook without the header row is refused, naming the file', async () => {
  const file = join(dir, 'no_header.xlsx');
  await officialLikeWorkbook(file, { header: false });
  const r = spawnSync(bin, ['--db', db, 'checklist', 'import-official', file], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no_header\.xlsx にチェックリストの見出し行（番号・チェック項目）が見つかりません/);
});
