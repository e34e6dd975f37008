// PostHog as its docs set it up on a plain site: init with the project key and api_host, defaults
// otherwise; `loaded` is its ready signal. The bench page reads the API from window.posthog.
import posthog from 'posthog-js';

const script = document.currentScript as HTMLScriptElement;
posthog.init('phc_bench', {
  api_host: script.dataset.apiHost,
  loaded: () => performance.mark('tracker-ready'),
});
Object.assign(window, { posthog });
