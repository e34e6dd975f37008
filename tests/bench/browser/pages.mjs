// The three trackers and the one page template they share: a testimonial with a row of share
// buttons. ShareTrack's widget renders its own buttons; the peers get the buttons a brand writes
// by hand, and their tracker bundled like ShareTrack's script-tag build (web/build.mjs).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { root } from '../../browser/harness.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Each tracker: its script, its page's head and testimonial, its public calls (page-side source),
 * and how long it must send nothing before the bench calls it quiet.
 */
export const trackers = [
  {
    name: 'sharetrack',
    label: 'ShareTrack',
    script: 'sharetrack.js',
    head: ({ collector }) => `<script>
window.sharetrack = window.sharetrack || function () { (sharetrack.q = sharetrack.q || []).push(arguments) };
// define() upgrades the widget at once: its buttons exist when whenDefined's callback runs.
customElements.whenDefined('sharetrack-widget').then(() => {
  if (document.querySelector('sharetrack-widget').shadowRoot.querySelector('button')) performance.mark('buttons');
});
// The script runs before DOMContentLoaded (defer); the stub's queue would drop ready's promise.
addEventListener('DOMContentLoaded', () => sharetrack('ready').then(() => performance.mark('tracker-ready')));
</script>
<script src="/sharetrack.js" data-collector="${collector}" data-site="bench" defer></script>`,
    testimonial: (url) => `<sharetrack-widget content-id="t-42" url="${url}" title="Ann on Acme"
  quote="Acme changed how we work: our referrals doubled in a quarter."></sharetrack-widget>`,
    event: '(i) => sharetrack("conversion", "bench", i)',
    flush: '() => sharetrack("flush")',
    quietMs: 1000,
  },
  {
    name: 'snowplow',
    label: 'Snowplow',
    script: 'snowplow.js',
    head: ({ sink }) => `<script src="/snowplow.js" data-collector="${sink}" defer></script>`,
    testimonial: handWrittenButtons,
    event: '(i) => snowplow.trackStructEvent({ category: "bench", action: "bench", value: i })',
    flush: '() => snowplow.flushBuffer()',
    quietMs: 1000,
  },
  {
    name: 'posthog',
    label: 'PostHog',
    script: 'posthog.js',
    head: ({ sink }) => `<script src="/posthog.js" data-api-host="${sink}" defer></script>`,
    testimonial: handWrittenButtons,
    event: '(i) => posthog.capture("bench", { i })',
    // PostHog has no public flush: its queue leaves every 3 s (or as the page hides), so the bench
    // waits that long for it to go quiet.
    flush: '() => {}',
    quietMs: 3500,
  },
];

// What a brand writes by hand beside a tracker: the quote and one link or button per channel.
function handWrittenButtons(url) {
  const link = encodeURIComponent(url);
  return `<figure class="testimonial">
<blockquote>Acme changed how we work: our referrals doubled in a quarter.</blockquote>
<figcaption>Ann on Acme</figcaption>
<div class="share" role="group" aria-label="Share this testimonial">
<button type="button" data-channel="copy">Copy link</button>
<a href="https://twitter.com/intent/tweet?url=${link}" target="_blank" rel="noopener">X</a>
<a href="https://www.facebook.com/sharer/sharer.php?u=${link}" target="_blank" rel="noopener">Facebook</a>
<a href="https://www.linkedin.com/sharing/share-offsite/?url=${link}" target="_blank" rel="noopener">LinkedIn</a>
<a href="https://wa.me/?text=${link}" target="_blank" rel="noopener">WhatsApp</a>
<a href="mailto:?body=${link}">Email</a>
</div>
</figure>`;
}

/** Bundles the peers as web/build.mjs bundles sharetrack.js, and copies ShareTrack's built files. */
export async function buildFiles(folder) {
  for (const peer of ['snowplow', 'posthog']) {
    await build({ entryPoints: [`${here}peers/${peer}.ts`], outfile: `${folder}/${peer}.js`, bundle: true,
      minify: true, format: 'iife', target: 'es2020', legalComments: 'none', logLevel: 'warning' });
  }
  for (const file of ['sharetrack.js', 'sharetrack_engine.wasm']) copyFileSync(`${root}web/dist/${file}`, `${folder}/${file}`);
}

/** Writes each tracker's page into `folder`; returns their URLs by tracker name. */
export function writePages(folder, { origin, collector, sink }) {
  const urls = {};
  for (const tracker of trackers) {
    const url = `${origin}/${tracker.name}.html`;
    writeFileSync(`${folder}/${tracker.name}.html`, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme: what customers say</title><link rel="icon" href="data:,">
${tracker.head({ collector, sink })}
<script>window.bench = { event: ${tracker.event}, flush: ${tracker.flush} };</script>
</head>
<body><h1>What customers say</h1>
${tracker.testimonial(url)}
</body></html>`);
    urls[tracker.name] = url;
  }
  return urls;
}

/** The versions the run measured: the peers' from their package.json, ShareTrack's commit (-dirty: edited). */
export function versions() {
  const version = (name) => JSON.parse(readFileSync(`${here}node_modules/${name}/package.json`, 'utf8')).version;
  const commit = execFileSync('git', ['-C', root, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  return { sharetrack: commit, snowplow: version('@snowplow/browser-tracker'), posthog: version('posthog-js') };
}
