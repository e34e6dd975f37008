// Bundles the dashboard with esbuild into dist/ (index.html, dashboard.js, dashboard.css with
// uPlot's styles): everything the collector serves at /dashboard/, nothing from another host.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
mkdirSync(`${here}dist`, { recursive: true });
await build({
  entryPoints: [`${here}src/main.ts`], bundle: true, minify: true, format: 'iife', target: 'es2020',
  outfile: `${here}dist/dashboard.js`, legalComments: 'none', logLevel: 'warning',
});
const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
writeFileSync(`${here}dist/dashboard.css`, `${uplotCss}\n${readFileSync(`${here}dashboard.css`, 'utf8')}`);
copyFileSync(`${here}index.html`, `${here}dist/index.html`);
