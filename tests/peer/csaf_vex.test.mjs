// mamori's CSAF VEX out, checked by the OASIS CSAF TC's own validator library
// (@secvisogram/csaf-validator-lib, BSI): the strict JSON schema and every mandatory test,
// including the csaf_vex profile tests 6.1.27.x. The document is exported from a real database
// whose findings carry every state (未評価, 影響あり, 影響なし by a maker's VEX, 対応済, リスク受容),
// and come from NVD, OSV and JVN iPedia (one under its JVNDB id, which CSAF takes in ids[]).
// The validator is first shown to fail the TC's own invalid cases, so this test can fail.
// The CycloneDX VEX out of the same findings is checked by the CycloneDX library's strict JSON
// schema validator (@cyclonedx/cyclonedx-library, OWASP), likewise shown to fail a broken one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const lib = join(process.env.NODE_PATH, '@secvisogram', 'csaf-validator-lib');
const { default: validateStrict } = await import(pathToFileURL(join(lib, 'validateStrict.js')));
const basic = await import(pathToFileURL(join(lib, 'basic.js')));
const tests = Object.values(basic);
const CDX = createRequire(join(process.env.NODE_PATH, '@cyclonedx', 'cyclonedx-library', 'package.json'))('@cyclonedx/cyclonedx-library');
const bin = process.env.MAMORI_BIN;
const shared = join(process.env.MAMORI_SHARED_DIR, 'testdata', 'vuln');
const data = join(process.env.MAMORI_SOURCE_DIR, 'tests', 'data', 'vuln');

const failures = (result) =>
  result.tests.filter((t) => !t.isValid || t.errors.length > 0).map((t) => `${t.name}: ${JSON.stringify(t.errors).slice(0, 300)}`);

test('the validator rejects the TC invalid csaf_vex cases (the check can fail)', async () => {
  const dir = join(shared, 'csaf', 'oasis-testcases', 'mandatory');
  for (const name of ['oasis_csaf_tc-csaf_2_0-2021-6-1-27-09-01.json', 'oasis_csaf_tc-csaf_2_0-2021-6-1-27-10-01.json']) {
    const doc = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    const r = await validateStrict(tests, doc);
    assert.equal(r.isValid, false, name);
  }
  const good = JSON.parse(readFileSync(join(shared, 'csaf', 'oasis', 'csaf_vex', '2022-evd-uc-01-na-001.json'), 'utf8'));
  assert.deepEqual(failures(await validateStrict(tests, good)), []);
});

test('mamori vuln vex export --format csaf passes schema and mandatory tests', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mamori-csaf-'));
  const run = (...args) => execFileSync(bin, ['--db', join(dir, 'v.db'), ...args], { cwd: dir, encoding: 'utf8' });
  run('demo', 'seed', '--no-feeds');
  run('ledger', 'import', '--asset', 'EMR-DB01', join(data, 'acme-product-1.cdx.json'));
  run('ledger', 'import', '--asset', 'EMR-DB01', join(data, 'ward-pc.cdx.json'));
  // JVN iPedia's products too: review findings under CVE ids and one under its JVNDB id.
  run('ledger', 'import', '--asset', 'EMR-DB01', join(data, 'router-and-servers.cdx.json'));
  run('vuln', 'load', join(data, 'GHSA-288c-cq4h-88gq.json'), join(shared, 'nvd', 'osvdev-nvdcve-2.0'),
    join(shared, 'kev', 'known_exploited_vulnerabilities.json'),
    join(shared, 'jvn', 'hnd', 'dataFeed_jvndb_detail_hnd.xml'));
  run('vuln', 'match');
  run('vuln', 'load', join(shared, 'vex', 'cyclonedx', 'Use-Cases', 'Case-6', 'vex.json'));
  const findings = JSON.parse(run('vuln', 'findings', '--json', '--asset', '1'));
  const by = (component) => findings.find((f) => f.component === component);
  assert.equal(by('com.fasterxml.jackson.core/jackson-databind').state, 'not_affected');
  run('vuln', 'triage', String(by('Google Chrome').id), '--state', 'fixed', '--note', 'Chrome 117 に更新');
  run('vuln', 'triage', String(by('libwebp').id), '--state', 'accepted', '--note', '業者の修正版待ち',
    '--approver', '院長', '--review-date', '2099-01-01');
  run('vuln', 'triage', String(by('xz').id), '--state', 'affected');
  const states = new Set(JSON.parse(run('vuln', 'findings', '--json', '--asset', '1')).map((f) => f.state));
  for (const s of ['new', 'affected', 'not_affected', 'fixed', 'accepted']) assert.ok(states.has(s), s);

  const out = join(dir, 'vex.csaf.json');
  run('vuln', 'vex', 'export', '--asset', '1', '--format', 'csaf', '--out', out);
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(doc.document.category, 'csaf_vex');
  const result = await validateStrict(tests, doc);
  assert.deepEqual(failures(result), []);
  assert.equal(result.isValid, true);
  const jvnOnly = doc.vulnerabilities.find((v) => v.ids?.[0]?.text === 'JVNDB-2018-009328');
  assert.equal(jvnOnly.ids[0].system_name, 'JVN iPedia');
  assert.equal(jvnOnly.cve, undefined);
  assert.ok(doc.vulnerabilities.some((v) => v.cve === 'CVE-2025-0355'));
  const jackson = doc.vulnerabilities.find((v) => v.cve === 'CVE-2020-25649');
  assert.equal(jackson.product_status.known_not_affected.length, 1);
  assert.equal(jackson.flags[0].label, 'vulnerable_code_not_in_execute_path');

  // The same findings as CycloneDX VEX, against the CycloneDX 1.5 strict JSON schema.
  const cdxOut = join(dir, 'vex.cdx.json');
  run('vuln', 'vex', 'export', '--asset', '1', '--format', 'cyclonedx', '--out', cdxOut);
  const cdxText = readFileSync(cdxOut, 'utf8');
  const cdx = JSON.parse(cdxText);
  assert.equal(cdx.specVersion, '1.5');
  const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot5);
  assert.equal(await validator.validate(cdxText), null);
  const cdxStates = new Set(cdx.vulnerabilities.map((v) => v.analysis?.state));
  for (const s of ['in_triage', 'exploitable', 'not_affected', 'resolved']) assert.ok(cdxStates.has(s), s);
  // A broken one fails: an analysis state CycloneDX does not define.
  const broken = structuredClone(cdx);
  broken.vulnerabilities[0].analysis.state = 'maybe';
  assert.notEqual(await validator.validate(JSON.stringify(broken)), null);
});
