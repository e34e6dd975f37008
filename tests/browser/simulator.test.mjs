// The traffic simulator end to end (demo/simulator/): a seeded population in headless Chromium on
// the demo site, its collector's query API compared with the ground truth of what it did, figure by
// figure; once straight through, once with the collector stopped in the middle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { root } from './harness.mjs';

function simulate(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${root}demo/simulator/simulate.mjs`, ...args], { cwd: root });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

for (const [why, args] of [
  ['50 visitors: every figure of the query API equals the ground truth', ['--visitors', '50', '--seed', '7']],
  ['50 visitors with the collector stopped for 8 s in the middle: still every figure', ['--visitors', '50', '--seed', '8',
    '--collector-outage']],
]) {
  test(why, async () => {
    const { code, output } = await simulate(args);
    console.log(output);
    assert.equal(code, 0, output);
    const [, compared] = output.match(/all (\d+) figures equal the ground truth/) ?? [];
    assert.ok(Number(compared) > 300, `a comparison of substance:\n${output}`);
    if (args.includes('--collector-outage')) assert.match(output, /collector back/);
  });
}
