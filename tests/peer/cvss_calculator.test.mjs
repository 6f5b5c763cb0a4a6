// mamori's CVSS scores against the npm ae-cvss-calculator (metaeffekt; a calculator no one here
// wrote) on vectors generated here: every version, base and temporal/threat/environmental
// metrics. The generator is deterministic (mulberry32), so a failure names a vector that repeats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.env.NODE_PATH, 'ae-cvss-calculator', 'package.json'));
const ae = require('ae-cvss-calculator');
const bin = process.env.MAMORI_BIN;

function mulberry32(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(20261122);
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];

const V2 = { AV: ['L', 'A', 'N'], AC: ['H', 'M', 'L'], Au: ['M', 'S', 'N'], C: ['N', 'P', 'C'], I: ['N', 'P', 'C'], A: ['N', 'P', 'C'] };
const V3 = { AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], PR: ['N', 'L', 'H'], UI: ['N', 'R'], S: ['U', 'C'], C: ['H', 'L', 'N'], I: ['H', 'L', 'N'], A: ['H', 'L', 'N'] };
const V3T = { E: ['X', 'H', 'F', 'P', 'U'], RL: ['X', 'U', 'W', 'T', 'O'], RC: ['X', 'C', 'R', 'U'] };
const V3E = { CR: ['X', 'L', 'M', 'H'], IR: ['X', 'L', 'M', 'H'], AR: ['X', 'L', 'M', 'H'], MAV: ['X', 'N', 'A', 'L', 'P'], MAC: ['X', 'L', 'H'], MPR: ['X', 'N', 'L', 'H'], MUI: ['X', 'N', 'R'], MS: ['X', 'U', 'C'], MC: ['X', 'N', 'L', 'H'], MI: ['X', 'N', 'L', 'H'], MA: ['X', 'N', 'L', 'H'] };
const V4 = { AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], AT: ['N', 'P'], PR: ['N', 'L', 'H'], UI: ['N', 'P', 'A'], VC: ['H', 'L', 'N'], VI: ['H', 'L', 'N'], VA: ['H', 'L', 'N'], SC: ['H', 'L', 'N'], SI: ['H', 'L', 'N'], SA: ['H', 'L', 'N'] };
const V4E = { E: ['A', 'P', 'U'], CR: ['H', 'M', 'L'], IR: ['H', 'M', 'L'], AR: ['H', 'M', 'L'], MAV: ['N', 'A', 'L', 'P'], MAC: ['L', 'H'], MVC: ['H', 'L', 'N'], MSI: ['S', 'H', 'L', 'N'], MSA: ['S', 'H', 'L', 'N'] };
const vec = (defs, extra) => {
  const parts = Object.entries(defs).map(([k, v]) => `${k}:${pick(v)}`);
  if (extra) for (const [k, v] of Object.entries(extra)) if (rnd() < 0.4) parts.push(`${k}:${pick(v)}`);
  return parts.join('/');
};

test('scores equal ae-cvss-calculator on 6 000 generated vectors', () => {
  const cases = [];
  for (let i = 0; i < 500; i++) cases.push({ v: vec(V2), calc: (s) => new ae.Cvss2(s).calculateScores().base });
  for (let i = 0; i < 500; i++) cases.push({ v: 'CVSS:3.0/' + vec(V3), calc: (s) => new ae.Cvss3P0(s).calculateScores().base });
  for (let i = 0; i < 1000; i++) cases.push({ v: 'CVSS:3.1/' + vec(V3, V3T), calc: (s) => new ae.Cvss3P1(s).calculateScores(), temporal: true });
  for (let i = 0; i < 2000; i++) cases.push({ v: 'CVSS:4.0/' + vec(V4, V4E), calc: (s) => new ae.Cvss4P0(s).calculateScores().overall });
  // Environmental scores (a hospital's requirements and modified metrics), with temporal ones.
  for (let i = 0; i < 1000; i++) cases.push({ v: 'CVSS:3.1/' + vec(V3, { ...V3T, ...V3E }), calc: (s) => new ae.Cvss3P1(s).calculateScores(), temporal: true });
  for (let i = 0; i < 1000; i++) cases.push({ v: 'CVSS:3.0/' + vec(V3, { ...V3T, ...V3E }), calc: (s) => new ae.Cvss3P0(s).calculateScores(), temporal: true });
  const out = JSON.parse(execFileSync(bin, ['--json', 'vuln', 'cvss', '--stdin'], { input: cases.map((c) => c.v).join('\n'), encoding: 'utf8', maxBuffer: 64 << 20 }));
  assert.equal(out.length, cases.length);
  let mismatches = [];
  cases.forEach((c, i) => {
    const ours = out[i];
    assert.ok(!ours.error, `${c.v}: ${ours.error}`);
    const theirs = c.calc(c.v);
    if (c.temporal) {
      if (theirs.base !== ours.base_score) mismatches.push(`${c.v}: base ${ours.base_score} vs ${theirs.base}`);
      if (theirs.temporal !== undefined && theirs.temporal !== ours.temporal_score) mismatches.push(`${c.v}: temporal ${ours.temporal_score} vs ${theirs.temporal}`);
      if ((theirs.environmental ?? -1) !== (ours.environmental_score ?? -1)) mismatches.push(`${c.v}: environmental ${ours.environmental_score} vs ${theirs.environmental}`);
    } else if (theirs !== ours.base_score) {
      mismatches.push(`${c.v}: ${ours.base_score} vs ${theirs}`);
    }
  });
  assert.deepEqual(mismatches.slice(0, 10), []);
});
