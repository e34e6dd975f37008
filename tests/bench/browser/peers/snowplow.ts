// Snowplow's browser tracker as its docs set it up on a plain site: one tracker with an app id and
// the collector's endpoint, then a page view. The bench page reads the API from window.snowplow.
import { flushBuffer, newTracker, trackPageView, trackStructEvent } from '@snowplow/browser-tracker';

const script = document.currentScript as HTMLScriptElement;
newTracker('sp', script.dataset.collector!, { appId: 'bench' });
performance.mark('tracker-ready');
trackPageView();
Object.assign(window, { snowplow: { trackStructEvent, flushBuffer } });
