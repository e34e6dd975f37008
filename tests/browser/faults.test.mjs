// The short fault matrix (fault-matrix.mjs): each fault alone, then all mixed, a few hundred events
// from a few visitors per row; scripts/faults runs the long one. Every produced event is stored
// exactly once (or, in the row that fills a queue past its cap, dropped there and reported), the
// retry schedule is kept, no page throws, the memory of a long-lived tab stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capKept, memoryBounded, runMatrix, table } from './fault-matrix.mjs';

test('under every fault, alone and mixed, each event produced is stored exactly once', async () => {
  const rows = await runMatrix({ events: 120, visitors: 2, steps: 60, seed: 1 });
  console.log(table(rows));
  for (const row of rows) {
    assert.ok(row.produced > 0, `${row.fault}: events produced`);
    assert.equal(row.refused, 0, `${row.fault}: calls refused`);
    assert.deepEqual({ fault: row.fault, lost: row.lost, doubled: row.doubled, unknown: row.unknown },
      { fault: row.fault, lost: 0, doubled: 0, unknown: 0 });
    assert.ok(capKept(row), `${row.fault}: ${row.dropped} events dropped at a queue's cap (${row.cap} in this row)`);
    assert.ok(row.faulted > 0 || ['offline', 'back/forward cache'].includes(row.fault) || row.fault.startsWith('mixed'),
      `${row.fault}: the fault struck`);
    assert.deepEqual(row.schedule, [], `${row.fault}: batches sooner than Retry-After or the cooldown allow`);
    assert.deepEqual(row.errors, [], `${row.fault}: page errors`);
  }
  const mixed = rows.at(-1);
  assert.ok(memoryBounded(mixed.memory), `memory grew: ${JSON.stringify(mixed.memory)}`);
  assert.ok(rows.find((r) => r.fault === 'back/forward cache').bfcache.restored > 0, 'a page restored from the bfcache');
});
