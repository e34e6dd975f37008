// Storage and tabs: what the engine asks to be written, the visitor state every tab merges, and
// the queues that closed or crashed tabs leave behind, each adopted by exactly one other tab.
import type { Context } from './context.js';
import { BrowserStorage } from './storage.js';

function randomTabId(): string {
  return [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class Persistence {
  private readonly storage = new BrowserStorage();
  private readonly tabId = randomTabId();
  private readonly prefix: string;
  private readonly visitorKey: string;
  private readonly queuePrefix: string;
  private readonly awaitedTabs = new Set<string>([this.tabId]);
  private seen = '';  // the stored visitor state as this tab last read or wrote it

  constructor(private readonly context: Context, site: string) {
    this.prefix = `sharetrack:${site}:`;
    this.visitorKey = `${this.prefix}v`;
    this.queuePrefix = `${this.prefix}q:`;
  }

  /** Once per page: this tab's lock, and other tabs' writes as they are announced. */
  watchTabs(): void {
    navigator.locks?.request(this.lockOf(this.tabId), () => new Promise<void>(() => {})).catch(() => {});
    addEventListener('storage', (event) => {
      if (!event.newValue || !this.context.engine.permissions().store) return;
      if (event.key === this.visitorKey) this.merge(event.newValue);
      else if (event.key?.startsWith(this.queuePrefix)) this.awaitTab(event.key);
    });
  }

  /** What earlier page loads and other tabs stored; nothing is read before storage is allowed. */
  restore(): void {
    if (!this.context.engine.permissions().store) return;
    this.catchUp();  // a corrupt or tampered value is skipped
    for (const key of this.storage.keys(this.queuePrefix)) this.awaitTab(key);
  }

  /**
   * The stored visitor state, if another tab wrote it since this tab last read or wrote it: at
   * start, before each write and before each send. A frozen page (back/forward cache, a frozen background tab) hears no storage event,
   * and a Retry-After another tab got meanwhile must hold its next send too.
   */
  catchUp(): void {
    if (!this.context.engine.permissions().store) return;
    const stored = this.storage.get(this.visitorKey);
    if (stored && stored !== this.seen) this.merge(stored);
  }

  /** Writes what the engine says is due (read-merge-write for the visitor state), or erases. */
  persist(hiding: boolean): void {
    const engine = this.context.engine;
    const plan = this.context.settle(engine.takePersist(Date.now(), hiding), document);
    if (!plan) return;
    if (plan.erase) {
      for (const key of this.storage.keys(this.prefix)) this.storage.remove(key);
      this.seen = '';
    }
    if (plan.visitor) {
      this.catchUp();  // other tabs' tokens stay
      this.seen = engine.visitorSnapshot();
      this.storage.set(this.visitorKey, this.seen);
    }
    if (!plan.queue) return;
    // Only the pieces that changed: a write costs what changed, not what the queue holds.
    for (const { name, text } of engine.takeQueueWrites()) {
      const key = this.pieceKey(this.tabId, name);
      if (text) this.storage.set(key, text);
      else this.storage.remove(key);
    }
  }

  private merge(stored: string): void {
    this.seen = stored;
    this.context.engine.mergeVisitor(stored, Date.now());
  }

  // A tab's queue is stored in pieces, `q:<tab>:<piece>`.
  private pieceKey(tab: string, piece: string): string {
    return `${this.queuePrefix}${tab}:${piece}`;
  }

  private lockOf(tab: string): string {
    return `${this.prefix}tab:${tab}`;
  }

  // A tab holds its lock while it lives; this tab waits for the lock of every other tab's queue,
  // and the one that gets it once that tab is gone adopts the queue, so a queue is taken once.
  private awaitTab(pieceKey: string): void {
    const tab = pieceKey.slice(this.queuePrefix.length).split(':')[0];
    if (this.awaitedTabs.has(tab) || !navigator.locks) return;
    this.awaitedTabs.add(tab);
    navigator.locks.request(this.lockOf(tab), async () => {
      if (!this.context.engine.permissions().store) return;
      const keys = this.storage.keys(this.pieceKey(tab, ''));
      for (const key of keys) this.context.engine.adoptQueue(this.storage.get(key), Date.now());
      this.persist(false);
      for (const key of keys) this.storage.remove(key);  // only once this tab's own queue holds the events
      this.context.pump();
    }).catch(() => {});
  }
}
