// Bundles web/ with esbuild: dist/sharetrack.js (script tag), dist/sharetrack-wall.js (the script of
// a testimonial wall embedded with an iframe: no engine), dist/index.js (ES module package, with
// its declarations in dist/types/ from tsc) and dist/sharetrack_engine.wasm from build/web.
import { build, transform } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

// The one default the shell needs without the engine (to clean a link), read from core.
const shareUrlHeader = readFileSync(`${here}../core/include/sharetrack/share_url.hpp`, 'utf8');
const tokenParam = shareUrlHeader.match(/kDefaultTokenParam = "([A-Za-z0-9._~-]+)"/)?.[1];
if (!tokenParam) throw new Error('build.mjs: kDefaultTokenParam not found in core/include/sharetrack/share_url.hpp');
const engineDir = `${here}../build/web/wasm`;
const engineModule = {
  name: 'engine-module',
  setup(b) {
    b.onResolve({ filter: /\/engine-module\.js$/ }, () => ({ path: `${engineDir}/sharetrack_engine.mjs` }));
  },
};
// The widget's stylesheet as minified text.
const stylesheets = {
  name: 'stylesheets',
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async ({ path }) =>
      ({ contents: (await transform(readFileSync(path, 'utf8'), { loader: 'css', minify: true })).code, loader: 'text' }));
  },
};
// The networks' marks: only the drawings (`path`) of the Simple Icons the widget imports, not
// their titles, SVG documents and links, which a bundler cannot drop from an object.
const marks = {
  name: 'simple-icons-paths',
  setup(b) {
    b.onResolve({ filter: /^simple-icons$/ }, () => ({ path: 'simple-icons', namespace: 'marks' }));
    b.onLoad({ filter: /.*/, namespace: 'marks' }, async () => {
      const icons = await import('simple-icons');
      const exports = Object.entries(icons).filter(([name]) => name.startsWith('si'))
        .map(([name, icon]) => `export const ${name} = { path: ${JSON.stringify(icon.path)} };`);
      return { contents: exports.join('\n'), loader: 'js' };
    });
  },
};
const common = {
  define: { SHARETRACK_DEFAULT_TOKEN_PARAM: JSON.stringify(tokenParam) },
  bundle: true,
  minify: true,
  target: 'es2020',
  plugins: [engineModule, stylesheets, marks],
  logLevel: 'warning',
  legalComments: 'none',
};

mkdirSync(`${here}dist`, { recursive: true });
await build({ ...common, entryPoints: [`${here}src/script-tag.ts`], format: 'iife', outfile: `${here}dist/sharetrack.js`,
  define: { ...common.define, 'import.meta.url': 'document.baseURI' } });
await build({ ...common, entryPoints: [`${here}src/wall.ts`], format: 'iife', outfile: `${here}dist/sharetrack-wall.js` });
await build({ ...common, entryPoints: [`${here}src/index.ts`], format: 'esm', outfile: `${here}dist/index.js` });
copyFileSync(`${engineDir}/sharetrack_engine.wasm`, `${here}dist/sharetrack_engine.wasm`);
execFileSync('npx', ['--no-install', 'tsc', '-p', here, '--emitDeclarationOnly', '--outDir', `${here}dist/types`],
  { stdio: 'inherit' });
copyFileSync(`${here}src/engine-module.d.ts`, `${here}dist/types/engine-module.d.ts`);
