// Reads a Chromium trace of the whole browser (browser.startTracing without a page, so that it
// outlives a page closed meanwhile) in one page's own clock: a performance.mark the page made is
// found in the trace, which gives that renderer's main thread and the offset between trace time
// (µs) and performance.now() (ms).
export const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'];

export class PageTrace {
  /** `marks`: the page's marks by name (startTime, ms); `anchor`: one of them, present in the trace. */
  constructor(buffer, marks, anchor) {
    this.events = JSON.parse(buffer.toString('utf8')).traceEvents;
    const mark = this.events.find((event) => event.name === anchor && event.cat.includes('blink.user_timing'));
    if (!mark) throw new Error(`trace: the mark "${anchor}" is not in the trace`);
    this.pid = mark.pid;
    this.tid = mark.tid;
    this.originUs = mark.ts - marks[anchor] * 1000;
  }

  pageMs(ts) {
    return (ts - this.originUs) / 1000;
  }

  /** When the script at `url` started to run, in page ms. */
  scriptStart(url) {
    const evaluate = this.events.find((event) => event.name === 'EvaluateScript' && event.args?.data?.url === url);
    if (!evaluate) throw new Error(`trace: no EvaluateScript for ${url}`);
    return this.pageMs(evaluate.ts);
  }

  /** The longest task of the page's main thread overlapping [fromMs, toMs], in ms. */
  longestTask(fromMs, toMs) {
    let longest = 0;
    for (const event of this.events) {
      if (event.name !== 'RunTask' || event.ph !== 'X' || event.pid !== this.pid || event.tid !== this.tid) continue;
      const start = this.pageMs(event.ts);
      if (start <= toMs && start + event.dur / 1000 >= fromMs) longest = Math.max(longest, event.dur / 1000);
    }
    return longest;
  }
}
