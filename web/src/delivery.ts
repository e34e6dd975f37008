// Posts what the engine hands over and reports how each post ended: fetch as text/plain (no CORS
// preflight), sendBeacon as the page hides, and one timer for when the engine wants waking.
import type { Context } from './context.js';
import type { OutgoingBatch, SendReport } from './engine-module.js';
import type { Persistence } from './persistence.js';

export class Delivery {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly endpoint: string;

  /** `sendSettled` runs after each send is reported (the intake may go on). */
  constructor(private readonly context: Context, private readonly persistence: Persistence, collector: string,
    private readonly sendSettled: () => void) {
    this.endpoint = `${collector.replace(/\/+$/, '')}/v1/batch`;
  }

  /** After every fact: write what is due, post what is due, wake when due. */
  pump(hiding: boolean): void {
    this.persistence.persist(hiding);
    this.sendDue(hiding);
    clearTimeout(this.timer);
    const wake = this.context.engine.nextWakeAt();
    if (wake !== null && !hiding) this.timer = setTimeout(() => this.pump(false), Math.max(0, wake - Date.now()));
  }

  /** Posts the batch the engine says is due, if any. */
  private sendDue(hiding: boolean): void {
    this.persistence.catchUp();
    const batch = this.context.settle(this.context.engine.nextSend(Date.now(), hiding), document)?.batch;
    if (batch?.beacon) this.beacon(batch);
    else if (batch) void this.post(batch);
  }

  private async post(batch: OutgoingBatch): Promise<void> {
    const { engine, settle } = this.context;
    let report: SendReport;
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        body: batch.body,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },  // a simple request: no preflight
        keepalive: batch.keepalive,
        credentials: 'omit',
      });
      const text = await response.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;  // a proxy's HTML page: no answer, the engine retries
      }
      report = { sendId: batch.sendId, kind: 'answered', status: response.status, body,
        retryAfter: response.headers.get('Retry-After') ?? '' };
    } catch {
      report = { sendId: batch.sendId, kind: 'network_error' };
    }
    settle(engine.reportSend(report, Date.now()), document);
    this.pump(false);
    this.sendSettled();
  }

  private beacon(batch: OutgoingBatch): void {
    const queued = typeof navigator.sendBeacon === 'function'
      && navigator.sendBeacon(this.endpoint, new Blob([batch.body], { type: 'text/plain;charset=UTF-8' }));
    this.context.settle(this.context.engine.reportSend(
      { sendId: batch.sendId, kind: queued ? 'beacon_queued' : 'beacon_refused' }, Date.now()), document);
    this.persistence.persist(true);
  }
}
