// The page's event calls (conversions), taken into the engine in slices of a few milliseconds, so
// that a burst of any length never freezes the tab, and held back while the queue is full and a
// send under way will make room (the engine's intakeRoom), so that a burst loses nothing while the
// collector answers. A call's promise settles once its event is written to storage: one write per
// slice, of the slice's events only (the queue is stored in pieces), so a call costs the same
// whatever the queue holds.
import type { Context } from './context.js';
import { ShareTrackError } from './errors.js';
import { nextTask } from './next-task.js';

// One call: `record` hands its fact to the engine and throws ShareTrackError if refused.
interface Call {
  record(nowMs: number): void;
  resolve(): void;
  reject(error: unknown): void;
}

const sliceMs = 4;  // well under a frame: input and rendering go between slices

export class Intake {
  private calls: Call[] = [];
  private next = 0;  // the first call not yet taken
  private scheduled = false;
  private waitingForRoom = false;

  constructor(private readonly context: Context) {}

  add(record: (nowMs: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.calls.push({ record, resolve, reject });
      this.schedule();
    });
  }

  /** A send was reported: the queue may have room again. */
  sendSettled(): void {
    if (!this.waitingForRoom) return;
    this.waitingForRoom = false;
    this.schedule();
  }

  /** The page is hiding: every call left is taken now, whatever room there is (the cap applies). */
  takeAll(): void {
    if (this.next < this.calls.length) this.slice(Infinity, true);
  }

  private schedule(): void {
    if (this.scheduled || this.waitingForRoom) return;
    this.scheduled = true;
    void nextTask().then(() => this.slice(sliceMs));
  }

  private slice(budgetMs: number, ignoreRoom = false): void {
    this.scheduled = false;
    const { engine } = this.context;
    const deadline = performance.now() + budgetMs;
    const taken: Call[] = [];
    while (this.next < this.calls.length && performance.now() < deadline) {
      const room = ignoreRoom ? null : engine.intakeRoom();
      if (room === 0) {
        this.waitingForRoom = true;
        break;
      }
      const end = Math.min(this.calls.length, this.next + Math.min(room ?? Infinity, 64));
      const now = Date.now();
      for (; this.next < end; this.next++) {
        const call = this.calls[this.next];
        try {
          call.record(now);
          taken.push(call);
        } catch (error) {
          call.reject(error instanceof ShareTrackError ? error : new ShareTrackError('engine_unavailable', String(error)));
        }
      }
    }
    // Writes the slice's events, one write however many calls, then posts a batch if one is due:
    // sent once per slice rather than as calls come, the first batch of a burst leaves full and
    // its answer frees more room.
    this.context.pump();
    for (const call of taken) call.resolve();
    if (this.next === this.calls.length) {
      this.calls = [];
      this.next = 0;
    } else if (this.next > 4096) {
      this.calls = this.calls.slice(this.next);
      this.next = 0;
    }
    if (this.next < this.calls.length) this.schedule();
  }
}
