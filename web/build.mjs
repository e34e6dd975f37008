// Bundles web/ with esbuild: dist/sharetrack.js (script tag), dist/index.js (ES module package,
// with dist/index.d.ts from tsc) and dist/sharetrack_engine.wasm from build/web.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const engineDir = `${here}../build/web/wasm`;
const engineModule = {
  name: 'engine-module',
  setup(b) {
    b.onResolve({ filter: /\/engine-module\.js$/ }, () => ({ path: `${engineDir}/sharetrack_engine.mjs` }));
  },
};
const common = {
  bundle: true,
  minify: true,
  target: 'es2020',
  plugins: [engineModule],
  logLevel: 'warning',
  legalComments: 'none',
};

mkdirSync(`${here}dist`, { recursive: true });
await build({ ...common, entryPoints: [`${here}src/script-tag.ts`], format: 'iife', outfile: `${here}dist/sharetrack.js`,
  define: { 'import.meta.url': 'document.baseURI' } });
await build({ ...common, entryPoints: [`${here}src/index.ts`], format: 'esm', outfile: `${here}dist/index.js` });
copyFileSync(`${engineDir}/sharetrack_engine.wasm`, `${here}dist/sharetrack_engine.wasm`);
execFileSync('npx', ['--no-install', 'tsc', '-p', here, '--emitDeclarationOnly', '--outDir', `${here}dist/types`],
  { stdio: 'inherit' });
copyFileSync(`${here}src/engine-module.d.ts`, `${here}dist/types/engine-module.d.ts`);
