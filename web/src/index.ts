// The ES module API: sharetrack.init({...}) once, then the element and a few calls. The page's
// one tracker lives here.
import { ShareTrackError } from './errors.js';
import { Tracker, type ShareTrackOptions } from './tracker.js';
import { ShareTrackWidget } from './widget.js';

export { ShareTrackError, ShareTrackWidget };
export type { ShareTrackOptions };
export type { ErrorCode } from './engine-module.js';
export type { WebErrorCode } from './errors.js';

let tracker: Tracker | null = null;

/** Starts tracking for this page and defines <sharetrack-widget>; later calls return the first. */
export function init(options: ShareTrackOptions): Tracker {
  if (tracker) return tracker;
  tracker = new Tracker(options, new URL('./sharetrack_engine.wasm', import.meta.url).toString());
  ShareTrackWidget.define(tracker);
  return tracker;
}

function started(): Tracker {
  if (!tracker) throw new ShareTrackError('not_initialized', 'call sharetrack.init() first');
  return tracker;
}

/** Resolves when the engine is running, or has failed and tracking is off (sharing works). */
export function ready(): Promise<void> {
  return started().ready;
}

/** The site's consent decision, where the site requires consent. */
export function consent(granted: boolean): Promise<void> {
  return started().consent(granted);
}

/** A conversion (a signup, a purchase), attributed by the collector to the visitor's last clickback. */
export function conversion(name: string, value = 0): Promise<void> {
  return started().conversion(name, value);
}

/** Sends what is queued now. */
export function flush(): Promise<void> {
  return started().flush();
}
