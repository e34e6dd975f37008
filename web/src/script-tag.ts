// The script-tag build: <script src=".../sharetrack.js" data-collector="..." data-site="..." defer>.
// (A testimonial wall that brands embed loads sharetrack-wall.js instead: wall.ts.)
// Only the attributes present are passed on: the engine keeps its defaults for the rest.
// Calls made before it loads wait in the stub's queue:
//   window.sharetrack = window.sharetrack || function () { (sharetrack.q = sharetrack.q || []).push(arguments) };
import { consent, conversion, flush, init, ready } from './index.js';

type Call = [string, ...unknown[]];
type Stub = ((...call: Call) => void) & { q?: ArrayLike<unknown>[] };

const script = document.currentScript as HTMLScriptElement | null;
const data = script?.dataset ?? {};
const flag = (value: string | undefined) => (value === undefined ? undefined : value !== 'false');

const api: Record<string, (...args: never[]) => unknown> = { consent, conversion, flush, ready };

function run([name, ...args]: Call): unknown {
  const fn = api[name];
  if (!fn) {
    console.warn(`ShareTrack: unknown call "${name}"`);
    return undefined;
  }
  return (fn as (...a: unknown[]) => unknown)(...args);
}

if (!data.collector || !data.site) {
  console.warn('ShareTrack: the script tag needs data-collector and data-site');
} else {
  init({
    collector: data.collector,
    site: data.site,
    tokenParam: data.tokenParam,
    consentRequired: flag(data.consentRequired),
    subscriberParam: data.subscriberParam,
    utm: flag(data.utm),
    utmCampaign: data.utmCampaign,
    embedOrigins: data.embedOrigins?.split(/\s+/).filter(Boolean),
    widgets: {
      channels: data.channels,
      layout: data.layout,
      theme: data.theme,
      // data-label-copy="…" and the like, as the element's label-copy.
      labels: Object.fromEntries(Object.entries(data).filter(([key]) => /^label[A-Z]/.test(key))
        .map(([key, value]) => [key[5].toLowerCase() + key.slice(6), value])),
    },
    engineUrl: data.engineUrl ?? new URL('sharetrack_engine.wasm', script?.src || location.href).toString(),
  });
  const queued = ((window as unknown as { sharetrack?: Stub }).sharetrack?.q ?? []) as ArrayLike<unknown>[];
  const sharetrack = Object.assign((...call: Call) => run(call), api);
  (window as unknown as { sharetrack: unknown }).sharetrack = sharetrack;
  for (const call of Array.from(queued)) run(Array.from(call) as Call);
}
