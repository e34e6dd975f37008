// Writes a seed corpus for the fuzz targets into the folder given: every string in the shared
// test vectors (tokens, URLs, answers, snapshots...), every object in them as JSON (batches) and
// pairs of visitor snapshots, one file each. The same seeds serve every target; libFuzzer keeps those that reach new code.
//   node tests/fuzz/seeds.mjs OUT_DIR
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const out = process.argv[2];
if (!out) {
  console.error('usage: node tests/fuzz/seeds.mjs OUT_DIR');
  process.exit(2);
}
const vectors = fileURLToPath(new URL('../vectors/', import.meta.url));
const seeds = new Set();
const collect = (value) => {
  if (typeof value === 'string') seeds.add(value);
  else if (value && typeof value === 'object') {
    if (!Array.isArray(value)) seeds.add(JSON.stringify(value));
    for (const item of Object.values(value)) collect(item);
  }
};
for (const file of readdirSync(vectors).filter((name) => name.endsWith('.json'))) {
  collect(JSON.parse(readFileSync(vectors + file, 'utf8')));
}
// Two visitor snapshots split at a NUL, as the visitor_snapshot target reads a pair to merge.
const visitors = [...seeds].filter((seed) => seed.startsWith('sharetrack-visitor '));
visitors.forEach((seed, i) => seeds.add(`${seed}\0${visitors[(i + 1) % visitors.length]}`));
mkdirSync(out, { recursive: true });
for (const seed of seeds) {
  writeFileSync(`${out}/${createHash('sha1').update(seed).digest('hex')}`, seed);
}
console.log(`${seeds.size} seeds in ${out}`);
