// Browser tests: Debian's chromium driven by playwright-core (no browser download) against a
// real `mamori serve` over a freshly seeded demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const BIN = process.env.MAMORI_BIN || path.join(root, 'build', 'mamori');
const WEB = process.env.MAMORI_WEB_ROOT || path.join(root, 'web', 'dist');
const ART = process.env.MAMORI_ARTIFACTS || path.join(root, 'build', 'ui-artifacts');
const PASSWORD = 'Mamori-Demo-2026';

let dir, server, browser, base;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitHealthy(url) {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url + '/healthz')).ok) return; } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('mamori serve did not become healthy');
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mamori-ui-'));
  mkdirSync(ART, { recursive: true });
  const db = path.join(dir, 'ui.db');
  execFileSync(BIN, ['--db', db, 'demo', 'seed'], { stdio: 'inherit' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`, '--web-root', WEB],
                 { stdio: ['ignore', 'inherit', 'inherit'] });
  await waitHealthy(base);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // playwright gives every launch a fresh, empty profile directory of its own.
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', (code) => r(code)));
    server.kill('SIGTERM');
    const code = await exited;
    assert.equal(code, 0, 'mamori serve exits cleanly on SIGTERM');
  }
  rmSync(dir, { recursive: true, force: true });
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ja-JP' });
  return context.newPage();
}

async function login(page, user, password = PASSWORD) {
  await page.goto(base + '/');
  await page.getByLabel('ユーザー名').fill(user);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
}

test('a wrong password shows an error in Japanese and no shell', async () => {
  const page = await newPage();
  await login(page, 'admin', 'Wrong-Pass-1');
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /ユーザー名またはパスワードが違います/);
  assert.equal(await page.getByRole('navigation', { name: 'メインメニュー' }).count(), 0);
  await page.context().close();
});

test('admin logs in, moves through the shell, and logs out', async () => {
  const page = await newPage();
  await login(page, 'admin');
  const nav = page.getByRole('navigation', { name: 'メインメニュー' });
  await nav.waitFor();
  for (const item of ['ホーム', '台帳', 'チェックリスト', '脆弱性', 'アカウント', 'アクセスログ',
                      'ネットワーク', 'バックアップ・BCP', 'インシデント', '監査証跡', '設定']) {
    assert.equal(await nav.getByRole('link', { name: item, exact: true }).count(), 1, item);
  }
  assert.match(await page.getByRole('note').innerText(), /DEMO/);
  await page.getByText('登録機器').waitFor();
  await page.screenshot({ path: path.join(ART, 'home.png') });

  await nav.getByRole('link', { name: '台帳' }).click();
  await page.locator('table.grid tbody tr').first().waitFor();
  assert.match(await page.locator('.count').innerText(), /^309件中/);
  // Completeness is visible per row: the demo ledger has PCs without an IP address.
  await page.getByRole('columnheader', { name: '未記入項目' }).waitFor();
  await page.getByLabel('検索').fill('EMR-PC1005');
  await page.getByRole('button', { name: '検索' }).click();
  await page.waitForFunction(() => document.querySelector('.count')?.textContent?.startsWith('1件中'));
  assert.match(await page.locator('td.missing').first().innerText(), /IPアドレス/);
  await page.getByLabel('検索').fill('PACS');
  await page.getByRole('button', { name: '検索' }).click();
  await page.waitForFunction(() => document.querySelector('.count')?.textContent?.startsWith('2件中'));
  await page.screenshot({ path: path.join(ART, 'ledger.png') });
  await page.getByRole('link', { name: 'PACS 画像サーバ' }).click();
  await page.getByRole('heading', { name: 'PACS 画像サーバ' }).waitFor();
  await page.getByRole('heading', { name: '変更履歴' }).waitFor();

  await nav.getByRole('link', { name: 'アカウント' }).click();
  await page.getByText('この機能は準備中です').waitFor();

  await nav.getByRole('link', { name: '監査証跡' }).click();
  await page.getByRole('button', { name: '改ざん検証' }).click();
  await page.getByRole('status').waitFor();
  assert.match(await page.getByRole('status').innerText(), /改ざんはありません/);

  await page.getByRole('button', { name: 'ログアウト' }).click();
  await page.getByRole('button', { name: 'ログイン' }).waitFor();
  // The session is gone on the server too.
  const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
  assert.equal(me, 401);
  await page.context().close();
});

test('keyboard only: log in and reach the ledger', async () => {
  const page = await newPage();
  await page.goto(base + '/');
  await page.getByLabel('ユーザー名').waitFor();
  // The user name field has the focus on arrival.
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'username');
  await page.keyboard.type('staff');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  const nav = page.getByRole('navigation', { name: 'メインメニュー' });
  await nav.waitFor();
  const ledger = nav.getByRole('link', { name: '台帳' });
  await ledger.focus();
  await page.keyboard.press('Enter');
  await page.locator('table.grid tbody tr').first().waitFor();
  assert.equal(await ledger.getAttribute('aria-current'), 'page');
  await page.context().close();
});

test('English is one click away', async () => {
  const page = await newPage();
  await login(page, 'admin');
  await page.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  const nav = page.getByRole('navigation', { name: 'Main menu' });
  await nav.getByRole('link', { name: 'Ledger' }).waitFor();
  await page.screenshot({ path: path.join(ART, 'home-en.png') });
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
  await page.context().close();
});

test('a vendor sees only its own systems; an inspector has no ledger', async () => {
  const page = await newPage();
  await login(page, 'vendor-pacs');
  const nav = page.getByRole('navigation', { name: 'メインメニュー' });
  await nav.getByRole('link', { name: '台帳' }).click();
  await page.locator('table.grid tbody tr').first().waitFor();
  const names = await page.locator('table.grid tbody td:nth-child(2)').allInnerTexts();
  assert.ok(names.length > 0);
  assert.ok(names.every((n) => !n.startsWith('電子カルテ')), names.join(','));
  assert.equal(await nav.getByRole('link', { name: '監査証跡' }).count(), 0);
  await page.context().close();

  const insp = await newPage();
  await login(insp, 'inspector');
  const nav2 = insp.getByRole('navigation', { name: 'メインメニュー' });
  await nav2.waitFor();
  assert.equal(await nav2.getByRole('link', { name: '台帳' }).count(), 0);
  const status = await insp.evaluate(async () => (await fetch('/api/v1/assets')).status);
  assert.equal(status, 403);
  await insp.context().close();
});

test('an admin adds a user in the UI, who then logs in', async () => {
  const page = await newPage();
  await login(page, 'admin');
  await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '設定' }).click();
  const form = page.getByRole('form', { name: 'ユーザーを追加' });
  await form.getByLabel('ユーザー名').fill('nurse-ui');
  await form.getByLabel('表示名').fill('看護部 UIテスト');
  await form.getByLabel('ロール').selectOption('staff');
  await form.getByLabel('パスワード').fill('weak');
  await form.getByRole('button', { name: 'ユーザーを追加' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /8文字以上/);
  await form.getByLabel('パスワード').fill('Kango-Bu-2026');
  await form.getByRole('button', { name: 'ユーザーを追加' }).click();
  await page.getByRole('cell', { name: 'nurse-ui', exact: true }).waitFor();
  await page.screenshot({ path: path.join(ART, 'settings-users.png'), fullPage: true });
  await page.context().close();

  const nurse = await newPage();
  await login(nurse, 'nurse-ui', 'Kango-Bu-2026');
  await nurse.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
  await nurse.context().close();
});

test('the import wizard previews a hospital workbook, names bad rows, and imports it', async () => {
  const page = await newPage();
  await login(page, 'staff');
  await page.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
  await page.goto(base + '/#/ledger/import');
  await page.getByLabel('取り込むファイル').setInputFiles(path.join(root, 'tests/data/ledger/hospital_ledger.xlsx'));
  const summary = page.locator('p.summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /エラー 4/);
  // Row errors name the sheet, the row and the column header as written in the workbook.
  const errors = await page.locator('table.errors tbody tr').allInnerTexts();
  assert.equal(errors.length, 4);
  assert.match(errors[0], /機器台帳\s+14\s+IPｱﾄﾞﾚｽ/);
  // The mapping shows what each header was taken as, and can be changed.
  assert.equal(await page.getByLabel('ｺﾝﾋﾟｭｰﾀ名', { exact: true }).inputValue(), 'computer_name');
  assert.equal(await page.getByLabel('No.', { exact: true }).inputValue(), '');
  await page.screenshot({ path: path.join(ART, 'import-preview.png'), fullPage: true });
  await page.getByRole('button', { name: '取り込む', exact: true }).click();
  await page.getByText('取り込みました').waitFor();
  await page.goto(base + '/#/ledger');
  await page.getByLabel('検索').fill('OPD-PC');
  await page.getByRole('button', { name: '検索' }).click();
  // The bad rows were not imported; nothing else was lost.
  await page.waitForFunction(() => document.querySelector('.count')?.textContent?.startsWith('0件中'));
  await page.context().close();
});

test('filters, editing an asset, and its history from the audit trail', async () => {
  const page = await newPage();
  await login(page, 'admin');
  await page.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
  await page.goto(base + '/#/ledger');
  await page.locator('table.grid tbody tr').first().waitFor();
  await page.getByLabel('条件').selectOption('remote_attention');
  await page.waitForFunction(() => !document.querySelector('.count')?.textContent?.startsWith('309件中'));
  const count = await page.locator('.count').innerText();
  assert.match(count, /^\d+件中/);
  await page.locator('table.grid tbody td:nth-child(2) a').first().click();
  await page.getByRole('heading', { name: 'ソフトウェア', exact: false }).waitFor();
  await page.getByRole('button', { name: '編集' }).click();
  await page.getByLabel('リモート保守の最終確認日').fill('2026-11-20');
  await page.getByLabel('接続元の制限').selectOption('yes');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('保存しました').waitFor();
  await page.locator('table.grid td', { hasText: 'asset.update' }).first().waitFor();
  await page.screenshot({ path: path.join(ART, 'asset-edit.png'), fullPage: true });
  await page.context().close();
});

test('台帳未登録 review after a scan, completeness, and a management report', async () => {
  execFileSync(BIN, ['--db', path.join(dir, 'ui.db'), 'ledger', 'import',
                     path.join(root, '..', 'shared', 'testdata', 'net', 'nmap', 'libnmap_full_sudo6.xml')]);
  const page = await newPage();
  await login(page, 'admin');
  await page.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
  await page.goto(base + '/#/ledger/discovered');
  const rows = page.locator('table.grid tbody tr');
  await rows.first().waitFor();
  const before = await rows.count();
  assert.ok(before >= 1);
  await rows.first().getByLabel('区分').selectOption('network');
  await rows.first().getByLabel('名称').fill('会議室の無線ルータ');
  await rows.first().getByRole('button', { name: '台帳に登録' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('table.grid tbody tr').length === n - 1, before);

  await page.goto(base + '/#/ledger/status');
  await page.getByRole('heading', { name: /台帳の記入状況/ }).waitFor();
  await page.getByRole('button', { name: '報告書を作成（PDF）' }).click();
  const link = page.locator('a[href$="/pdf"]').first();
  await link.waitFor();
  const pdf = await page.evaluate(async (href) => {
    const r = await fetch(href);
    return (await r.text()).slice(0, 4);
  }, await link.getAttribute('href'));
  assert.equal(pdf, '%PDF');
  await page.screenshot({ path: path.join(ART, 'ledger-status.png'), fullPage: true });
  await page.context().close();
});

test('the checklist: suggestions with reasons, an answer with a target date, the vendor form and the contact list', async () => {
  const page = await newPage();
  await login(page, 'admin');
  const nav = page.getByRole('navigation', { name: 'メインメニュー' });
  await nav.getByRole('link', { name: 'チェックリスト' }).click();
  await page.getByRole('heading', { name: /医療機関確認用）令和8年度版/ }).waitFor();
  // R8 is carried over from R7 until the official workbook is loaded: said on the page.
  await page.getByText('公式様式はまだ取り込まれていません').waitFor();
  const row = page.locator('tr[data-item="2-1"][data-row="general"]');
  await row.getByText(/台に記入漏れがあります/).waitFor();
  assert.match(await row.innerText(), /いいえ/);
  const accounts = page.locator('tr[data-item="2-4"][data-row="server"]');
  assert.match(await accounts.innerText(), /根拠データ未接続/);
  // Answer いいえ without a target date: the server's error is shown; with one it is saved.
  await row.getByRole('button', { name: '回答する' }).click();
  const form = row.getByRole('form', { name: '回答する' });
  await form.locator('select[name="answer"]').selectOption('no');
  await form.getByRole('button', { name: '保存' }).click();
  await form.getByText('「いいえ」には目標日が必要です').waitFor();
  await form.locator('input[name="target_on"]').fill('2027-03-31');
  await form.getByRole('button', { name: '保存' }).click();
  await row.getByText('1回目: いいえ').waitFor();
  assert.match(await page.getByTestId('answered').innerText(), /^1 \//);
  await page.screenshot({ path: path.join(ART, 'checklist.png'), fullPage: true });

  await page.getByRole('link', { name: '事業者確認用' }).click();
  await page.getByRole('heading', { name: /事業者確認用）令和8年度版（/ }).waitFor();
  // Invite the selected vendor: a vendor user bound to it, second factor required.
  await page.getByRole('button', { name: /^事業者を招待（/ }).click();
  const invite = page.getByRole('form', { name: '事業者を招待' });
  await invite.locator('input[name="username"]').fill('vendor-invited');
  await invite.getByRole('button', { name: '事業者を招待' }).click();
  assert.match(await page.getByTestId('invite-password').innerText(), /^.{16}$/);
  const invited = await page.evaluate(async () => (await (await fetch('/api/v1/users')).json()).items.find((u) => u.username === 'vendor-invited'));
  assert.equal(invited.role, 'vendor');
  assert.ok(invited.vendor_id > 0);
  assert.equal(invited.totp_required, true);

  await page.getByRole('link', { name: '体制・連絡体制・BCP' }).click();
  const contacts = page.getByTestId('contacts');
  await contacts.getByText('厚生労働省 医政局').waitFor();
  const addForm = page.getByRole('form', { name: '連絡先を追加' });
  await addForm.locator('select[name="category"]').selectOption('mhlw_desk');
  await addForm.locator('input[name="organisation"]').fill('厚生労働省 初動対応支援窓口');
  await addForm.locator('input[name="phone"]').fill('03-0000-0000');
  await addForm.getByRole('button', { name: '連絡先を追加' }).click();
  await contacts.getByText('厚生労働省 初動対応支援窓口').waitFor();
  // A drill recorded with its report file.
  const drill = page.getByRole('form', { name: '訓練を記録' });
  await drill.locator('input[name="held_on"]').fill('2026-10-15');
  await drill.locator('input[name="scenario"]').fill('ランサムウェアで電子カルテ停止');
  await drill.locator('input[name="file"]').setInputFiles({ name: '訓練報告.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF drill report') });
  await drill.getByRole('button', { name: '訓練を記録' }).click();
  const drills = page.getByTestId('drills');
  await drills.getByText('ランサムウェアで電子カルテ停止').waitFor();
  const href = await drills.getByRole('link', { name: 'ファイル' }).getAttribute('href');
  const body = await page.evaluate(async (h) => (await fetch(h)).text(), href);
  assert.equal(body, '%PDF drill report');
  await page.screenshot({ path: path.join(ART, 'checklist-org.png'), fullPage: true });
  await page.context().close();

  // The inspector sees the forms but no answer buttons.
  const insp = await newPage();
  await login(insp, 'inspector');
  await insp.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'チェックリスト' }).click();
  await insp.locator('tr[data-item="2-1"]').first().waitFor();
  assert.equal(await insp.getByRole('button', { name: '回答する' }).count(), 0);
  await insp.context().close();
});

test('an item page: guidance, evidence attached, history; a share link opens read-only without login', async () => {
  const page = await newPage();
  await login(page, 'staff');
  await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'チェックリスト' }).click();
  await page.locator('tr[data-item="3-3"] a').first().click();
  await page.getByRole('heading', { name: '3-③ 医療情報システム全般' }).waitFor();
  await page.locator('ul.reasons').getByText(/訓練/).first().waitFor();  // 3-(3) looks at drills
  await page.getByRole('heading', { name: '実施方法' }).waitFor();
  const ev = page.getByRole('form', { name: '根拠を追加' });
  await ev.locator('input[name="label"]').fill('BCP 第1版（院内共有フォルダ）');
  await ev.locator('input[name="link"]').fill('https://intranet.example/bcp-v1');
  await ev.getByRole('button', { name: 'リンクを追加' }).click();
  await page.getByTestId('attached').getByText('BCP 第1版（院内共有フォルダ）').waitFor();
  const answer = page.getByRole('form', { name: '回答する' });
  await answer.locator('select[name="answer"]').selectOption('yes');
  await answer.getByRole('button', { name: '保存' }).click();
  await page.getByTestId('history').getByText('staff').waitFor();
  await page.screenshot({ path: path.join(ART, 'checklist-item.png'), fullPage: true });

  await page.getByRole('link', { name: '← ' + '医療機関におけるサイバーセキュリティ対策チェックリスト（医療機関確認用）令和8年度版' }).click();
  await page.getByRole('link', { name: '検査用リンク' }).click();
  await page.getByRole('form', { name: 'リンクを作成' }).getByRole('button', { name: 'リンクを作成' }).click();
  const url = await page.getByTestId('share-url').innerText();
  assert.match(url, /\/#\/share\/[0-9a-f]{64}$/);
  await page.context().close();

  const anon = await newPage();
  await anon.goto(url);
  await anon.getByText('期限つきの閲覧リンクで表示しています').waitFor();
  await anon.getByRole('heading', { name: 'デモ総合病院（DEMO・架空）' }).waitFor();
  assert.match(await anon.locator('tr[data-item="3-3"]').innerText(), /はい/);
  assert.equal(await anon.getByRole('button', { name: '回答する' }).count(), 0);
  await anon.screenshot({ path: path.join(ART, 'checklist-shared.png'), fullPage: true });
  await anon.context().close();
});

test('vulnerabilities: the dashboard, findings with their evidence, triage rules, a CVE page, end of support and the name queue', async () => {
  const page = await newPage();
  await login(page, 'admin');
  await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '脆弱性' }).click();
  // The demo loads real NVD/KEV records for its ledger's software and matches them.
  assert.ok(Number(await page.getByTestId('kev').innerText()) > 0);
  assert.ok(Number(await page.getByTestId('critical').innerText()) >= 2);  // OpenSSH CVE-2023-38408
  assert.ok(Number(await page.getByTestId('eol').innerText()) > 0);
  await page.screenshot({ path: path.join(ART, 'vuln-dashboard.png'), fullPage: true });

  await page.getByRole('link', { name: /緊急（Critical）/ }).click();
  const row = page.locator('table.findings tbody tr').filter({ hasText: 'CVE-2023-38408' }).first();
  await row.waitFor();
  assert.match(await row.innerText(), /OpenSSH 8\.0p1/);
  await row.getByRole('button', { name: '未評価' }).click();
  // The evidence: which criterion, which bound.
  await page.getByText('versionEndExcluding 9.3').first().waitFor();
  await page.getByText(/台帳の名称「OpenSSH 8\.0p1」を/).first().waitFor();
  const triage = page.getByRole('form', { name: '判定の記録' });
  await triage.locator('select[name="triage_state"]').selectOption('accepted');
  await triage.locator('input[name="note"]').fill('閉域網内のため業者の修正版を待つ');
  await triage.getByRole('button', { name: '保存' }).click();
  await triage.getByText('リスク受容には承認者を記入してください').waitFor();
  await triage.locator('input[name="approver"]').fill('院長');
  await triage.locator('input[name="review_date"]').fill('2099-03-31');
  await triage.getByRole('button', { name: '保存' }).click();
  // Accepted risks leave the open list.
  await page.locator('table.findings tbody tr').filter({ hasText: 'CVE-2023-38408' }).first().waitFor();
  const accepted = await page.evaluate(async () =>
    (await (await fetch('/api/v1/vuln/findings?state=accepted')).json()).items.filter((f) => f.cve === 'CVE-2023-38408'));
  assert.equal(accepted.length, 1);
  assert.equal(accepted[0].approver, '院長');

  await page.locator('table.findings a', { hasText: 'CVE-2023-38408' }).first().click();
  await page.getByRole('heading', { name: 'CVE-2023-38408' }).waitFor();
  await page.locator('.cve-head').getByText('9.8').waitFor();

  // All open findings, a hundred at a time (the demo has several hundred).
  await page.goto(page.url().replace(/#.*$/, '#/vuln/findings'));
  const count = page.getByTestId('findings-count');
  await count.filter({ hasText: /1〜100 件/ }).waitFor();
  const total = Number((await count.innerText()).match(/全 (\d+) 件/)[1]);
  assert.ok(total > 100, `${total} findings`);
  const pager = page.getByRole('navigation', { name: '検出のページ' });
  assert.ok(await pager.getByRole('button', { name: '前へ' }).isDisabled());
  await pager.getByRole('button', { name: '次へ' }).click();
  await count.filter({ hasText: /101〜/ }).waitFor();
  assert.equal(await page.locator('table.findings tbody tr').count(), Math.min(100, total - 100));
  await pager.getByRole('button', { name: '前へ' }).click();
  await count.filter({ hasText: /全 \d+ 件中 1〜100 件/ }).waitFor();

  // By CVE: the KEV one first, on every PC; opened, all its findings chosen across pages and
  // marked patched in one decision.
  await page.getByRole('navigation', { name: '脆弱性' }).getByRole('link', { name: 'CVE別' }).click();
  const first = page.locator('table.cves tbody tr').first();
  await first.waitFor();
  assert.match(await first.innerText(), /CVE-2023-36884[\s\S]*KEV/);
  const [open36884, all36884] = (await first.getByTestId('cve-open').innerText()).split(' / ').map(Number);
  assert.ok(open36884 > 100 && open36884 === all36884, `${open36884} / ${all36884}`);
  await page.screenshot({ path: path.join(ART, 'vuln-by-cve.png'), fullPage: true });
  await first.getByRole('link', { name: 'CVE-2023-36884' }).click();
  await page.getByRole('heading', { name: 'CVE-2023-36884' }).waitFor();
  await page.getByRole('checkbox', { name: 'このページの検出をすべて選択' }).check();
  await page.getByTestId('selected-count').filter({ hasText: '100 件を選択中' }).waitFor();
  await page.getByRole('button', { name: `条件に合う ${open36884} 件すべてを選ぶ` }).click();
  await page.getByTestId('selected-count').filter({ hasText: `${open36884} 件を選択中` }).waitFor();
  const bulk = page.getByRole('form', { name: '判定の記録' });
  await bulk.locator('select[name="triage_state"]').selectOption('fixed');
  await bulk.locator('input[name="note"]').fill('2023年8月の更新プログラムを全端末に適用');
  await page.screenshot({ path: path.join(ART, 'vuln-bulk-triage.png'), fullPage: true });
  await bulk.getByRole('button', { name: '保存' }).click();
  await page.getByRole('status').filter({ hasText: `${open36884} 件を判定しました` }).waitFor();
  const fixed = await page.evaluate(async () =>
    (await (await fetch('/api/v1/vuln/findings?state=fixed&cve=CVE-2023-36884')).json()).items);
  assert.equal(fixed.length, open36884);
  assert.ok(fixed.every((f) => f.note === '2023年8月の更新プログラムを全端末に適用' && f.state_source === 'admin'));
  await page.getByText('該当するものはありません。').first().waitFor();  // none open left for it

  await page.getByRole('link', { name: 'サポート終了' }).first().click();
  await page.getByText('windows 10-22h2').first().waitFor();
  await page.screenshot({ path: path.join(ART, 'vuln-eol.png'), fullPage: true });

  await page.getByRole('link', { name: '名称未確定' }).first().click();
  const demoOs = page.locator('tr').filter({ hasText: 'DemoOS 14.01.38' });
  await demoOs.waitFor();
  await demoOs.getByRole('textbox', { name: 'CPE を入力' }).fill('cpe:2.3:o:example:demoos');
  await demoOs.getByRole('button', { name: '確定' }).click();
  await demoOs.waitFor({ state: 'detached' });

  // A maker's VEX (the OASIS CSAF VEX example) is loaded and listed with who said it; each
  // asset's findings page offers its own VEX out.
  await page.getByRole('navigation', { name: '脆弱性' }).getByRole('link', { name: 'VEX' }).click();
  await page.getByText('まだ VEX はありません。').waitFor();
  await page.locator('input[name="vex"]').setInputFiles(
    path.join(root, '..', 'shared', 'testdata', 'vuln', 'csaf', 'oasis', 'csaf_vex', '2022-evd-uc-01-na-001.json'));
  await page.getByRole('status').getByText(/CSAF VEX Example Company ProductCERT/).waitFor();
  await page.locator('table.vex-docs').getByRole('cell', { name: '2022-EVD-UC-01-NA-001', exact: true }).waitFor();
  // A maker's CSAF security advisory is loaded the same way, and listed as an advisory with its
  // title.
  await page.locator('input[name="vex"]').setInputFiles(path.join(root, 'tests', 'data', 'vuln', 'acme-sa-2026-01.csaf.json'));
  await page.getByRole('status').getByText(/CSAF セキュリティアドバイザリ Acme PSIRT/).waitFor();
  const advisoryRow = page.locator('table.vex-docs tr').filter({ hasText: 'ACME-SA-2026-01' });
  await advisoryRow.getByRole('cell', { name: 'CSAF セキュリティアドバイザリ', exact: true }).waitFor();
  await advisoryRow.getByRole('cell', { name: 'Acme Product 1: jackson-databind (CVE-2020-25649)', exact: true }).waitFor();
  await page.screenshot({ path: path.join(ART, 'vuln-vex.png'), fullPage: true });
  await page.goto(page.url().replace(/#.*$/, '#/vuln/asset/' + accepted[0].asset_id));
  const csaf = page.getByRole('link', { name: 'CSAF VEX' });
  await csaf.waitFor();
  const doc = await page.evaluate(async (href) => (await fetch(href)).json(), await csaf.getAttribute('href'));
  assert.equal(doc.document.category, 'csaf_vex');
  assert.ok(doc.vulnerabilities.some((v) => v.cve === 'CVE-2023-38408'));
  // The asset's security requirements: set on its page, its findings show the score with them.
  const req = page.locator('fieldset.requirements');
  await req.getByLabel('機密性').selectOption('L');
  await req.getByLabel('完全性').selectOption('L');
  await req.getByLabel('可用性').selectOption('L');
  await req.getByLabel('理由').fill('検証用の端末');
  await req.getByRole('button', { name: '要求度を保存' }).click();
  await req.getByRole('status').getByText('保存しました').waitFor();
  await page.locator('select[name="state"]').selectOption('');
  await page.getByTestId('env-score').first().waitFor();
  const reqs = await page.evaluate(async () => (await (await fetch('/api/v1/vuln/requirements')).json()).items);
  assert.equal(reqs.length, 1);
  assert.equal(reqs[0].vector, 'CR:L/IR:L/AR:L');
  assert.equal(reqs[0].note, '検証用の端末');
  await page.screenshot({ path: path.join(ART, 'vuln-requirements.png'), fullPage: true });

  // A signed offline bundle, built and its key trusted with the CLI, is loaded from the browser:
  // sent in pieces, verified, listed with its producer and key.
  const feeds = path.join(dir, 'bundle-feeds');
  mkdirSync(feeds, { recursive: true });
  execFileSync('cp', [path.join(root, '..', 'shared', 'testdata', 'vuln', 'nvd', 'osvdev-nvdcve-2.0', 'CVE-2024-3094.json'), feeds]);
  const key = path.join(dir, 'isac');
  execFileSync(BIN, ['vuln', 'bundle', 'keygen', '--out', key]);
  execFileSync(BIN, ['vuln', 'bundle', 'build', '--key', key + '.key', '--producer', '地域ISAC', '-o', path.join(dir, 'feeds-2026-12.mamori'), feeds]);
  execFileSync(BIN, ['--db', path.join(dir, 'ui.db'), 'vuln', 'bundle', 'trust', key + '.pub', '--comment', '地域ISAC']);
  await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '脆弱性' }).click();
  await page.getByRole('navigation', { name: '脆弱性' }).getByRole('link', { name: '脆弱性情報' }).click();
  await page.locator('input[name="bundle"]').setInputFiles(path.join(dir, 'feeds-2026-12.mamori'));
  await page.getByRole('status').getByText(/feeds-2026-12\.mamori: 署名を確認しました。鍵 [0-9A-F]+ \/ 地域ISAC — 1 ファイル, 1 件/).waitFor();
  await page.locator('table.bundles tbody tr').filter({ hasText: '地域ISAC' }).waitFor();
  await page.screenshot({ path: path.join(ART, 'vuln-bundle.png'), fullPage: true });
  // Matching again is incremental: the assets changed since the demo's match (by the tests
  // above) in full, the others against records loaded since (the bundle's record was already
  // there, so none); the summary says so and counts the findings there are now (new, still and
  // gone count only what was evaluated).
  await page.getByRole('navigation', { name: '脆弱性' }).getByRole('link', { name: 'ダッシュボード' }).click();
  await page.getByRole('button', { name: '台帳と照合する' }).click();
  const matched = page.getByRole('status').filter({ hasText: '照合しました' });
  await matched.waitFor();
  const present = (await page.evaluate(async () => (await (await fetch('/api/v1/vuln/findings')).json()).items)).length;
  assert.match(await matched.innerText(), new RegExp(`現在の検出 ${present}（`));
  assert.match(await matched.innerText(), /（差分照合: 評価した機器 [1-9]\d*台、前回からの新しい記録 \d+件）/);
  await page.screenshot({ path: path.join(ART, 'vuln-matched.png'), fullPage: true });
  await page.context().close();

  // A vendor's user sees only its own devices' findings; the inspector has no such page.
  const vendor = await newPage();
  await login(vendor, 'vendor-pacs');
  await vendor.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '脆弱性' }).click();
  await vendor.getByTestId('kev').waitFor();
  const mine = await vendor.evaluate(async () => (await (await fetch('/api/v1/vuln/findings')).json()).items);
  const assets = await vendor.evaluate(async () => (await (await fetch('/api/v1/assets?limit=100')).json()).items.map((a) => a.id));
  assert.ok(assets.length > 0);
  for (const f of mine) assert.ok(assets.includes(f.asset_id), `finding ${f.id} is on a foreign asset`);
  await vendor.context().close();
  const insp = await newPage();
  await login(insp, 'inspector');
  await insp.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
  assert.equal(await insp.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '脆弱性' }).count(), 0);
  assert.equal(await insp.evaluate(async () => (await fetch('/api/v1/vuln/findings')).status), 403);
  await insp.context().close();
});

test('access logs: the registry shows a silent PACS and a drifting switch; search pages; a review is created, its PDF served and signed off', async () => {
  const page = await newPage();
  await login(page, 'admin');
  await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'アクセスログ' }).click();
  const sources = page.getByRole('table', { name: 'ログリスト' });
  await sources.waitFor();
  // The demo's PACS stopped sending three days ago; the ward switch's clock runs 7 minutes late.
  assert.match(await sources.locator('tr', { hasText: 'PACS サーバ' }).innerText(), /途絶/);
  const sw = await sources.locator('tr', { hasText: '病棟L3スイッチ' }).innerText();
  assert.match(sw, /時刻ずれ/);
  assert.match(sw, /-420 s/);
  assert.match(await sources.locator('tr', { hasText: 'UTM（FortiGate）' }).innerText(), /正常/);
  await page.getByRole('status').getByText('2件の送信元で途絶・時刻ずれ・未受信があります').waitFor();
  await page.screenshot({ path: path.join(ART, 'logs-sources.png'), fullPage: true });

  // Register a source from the form.
  await page.getByLabel('送信元', { exact: true }).fill('検査システム');
  await page.getByLabel('ホスト名・アドレス（カンマ区切り）').fill('LAB-SV01');
  await page.getByRole('button', { name: '登録' }).click();
  await sources.locator('tr', { hasText: '検査システム' }).getByText('未受信').waitFor();

  // Search: one user's failed logons, then the next page of everything.
  await page.getByRole('navigation', { name: 'アクセスログ' }).getByRole('link', { name: '検索' }).click();
  await page.getByTestId('log-total').waitFor();
  const all = await page.getByTestId('log-total').innerText();
  assert.equal(all, '10,000件以上');  // the demo's events: counted up to 10 000
  await page.locator('input[name="user"]').fill('DEMO\\administrator');
  await page.locator('select[name="outcome"]').selectOption('failure');
  await page.getByRole('button', { name: '検索', exact: true }).last().click();
  await page.waitForFunction(() => document.querySelector('[data-testid="log-total"]')?.textContent === '12件');
  await page.locator('input[name="user"]').fill('');
  await page.locator('select[name="outcome"]').selectOption('');
  await page.getByRole('button', { name: '検索', exact: true }).last().click();
  await page.getByRole('button', { name: '古い方へ' }).click();
  await page.getByRole('button', { name: '新しい方へ' }).waitFor();
  assert.equal(await page.getByRole('table', { name: '検索結果' }).locator('tbody tr').count(), 50);
  // Text: a piece of a Japanese message (the vendor's VPN logon), found by the trigram index;
  // the case of letters does not count, and a text in no message finds nothing.
  await page.getByLabel('本文に含む文字列（英字の大文字・小文字は区別しない）').fill('電子カルテ保守');
  await page.getByRole('button', { name: '検索', exact: true }).last().click();
  await page.waitForFunction(() => document.querySelector('[data-testid="log-total"]')?.textContent === '1件');
  assert.match(await page.getByRole('table', { name: '検索結果' }).innerText(), /vendor-demo/);
  await page.locator('input[name="text"]').fill('ssl vpn tunnel');
  await page.getByRole('button', { name: '検索', exact: true }).last().click();
  await page.waitForFunction(() => document.querySelector('[data-testid="log-total"]')?.textContent === '1件');
  assert.match(await page.getByRole('table', { name: '検索結果' }).innerText(), /SSL VPN tunnel/i);
  await page.locator('input[name="text"]').fill('ssl vpn tunnels');
  await page.getByRole('button', { name: '検索', exact: true }).last().click();
  await page.waitForFunction(() => document.querySelector('[data-testid="log-total"]')?.textContent === '0件');
  await page.locator('input[name="text"]').fill('');

  // A review of the last month: the findings the demo holds, the PDF, the sign-off.
  await page.getByRole('navigation', { name: 'アクセスログ' }).getByRole('link', { name: '定期確認' }).click();
  await page.getByText('定期確認の記録はまだありません。').waitFor();
  await page.getByRole('button', { name: '定期確認を作成' }).click();
  const block = page.locator('article.card-block').first();
  await block.waitFor();
  const text = await block.innerText();
  assert.match(text, /ログの消去: 1/);
  assert.match(text, /途絶した送信元: 2/);  // the PACS, and the lab system registered above
  const href = await block.getByRole('link', { name: '報告書（PDF）' }).getAttribute('href');
  const pdf = await page.evaluate(async (h) => {
    const r = await fetch(h);
    return { type: r.headers.get('content-type'), head: (await r.text()).slice(0, 5) };
  }, href);
  assert.equal(pdf.type, 'application/pdf');
  assert.equal(pdf.head, '%PDF-');
  await block.getByLabel('所見').fill('ログ消去は保守作業によるものと確認');
  await block.getByRole('button', { name: '承認する' }).click();
  await block.getByRole('status').getByText(/admin が .* に承認/).waitFor();
  await page.screenshot({ path: path.join(ART, 'logs-review.png'), fullPage: true });
  await page.context().close();

  // Vendors and inspectors have no access to access logs.
  const vendor = await newPage();
  await login(vendor, 'vendor-pacs');
  await vendor.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
  assert.equal(await vendor.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'アクセスログ' }).count(), 0);
  assert.equal(await vendor.evaluate(async () => (await fetch('/api/v1/logs/events')).status), 403);
  await vendor.context().close();
});
