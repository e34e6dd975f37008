// localStorage when the browser allows it, memory otherwise (storage disabled, private modes,
// quota exceeded): the widget keeps working either way, it only forgets sooner.
export class BrowserStorage {
  private readonly memory = new Map<string, string>();
  private readonly unwritten = new Set<string>();
  private readonly local: Storage | null;

  constructor() {
    let local: Storage | null = null;
    try {
      local = window.localStorage;
      const probe = '__sharetrack_probe__';
      local.setItem(probe, probe);
      local.removeItem(probe);
    } catch {
      local = null;
    }
    this.local = local;
  }

  get(key: string): string {
    try {
      return this.local?.getItem(key) ?? this.memory.get(key) ?? '';
    } catch {
      return this.memory.get(key) ?? '';
    }
  }

  set(key: string, value: string): void {
    this.memory.set(key, value);
    if (this.write(key, value)) {
      // Room again: what could not be written before goes now (a key is not always written twice).
      for (const waiting of this.unwritten) if (!this.write(waiting, this.memory.get(waiting)!)) break;
    }
  }

  // Quota exceeded: the memory copy serves this page, and the key waits for the next write that fits.
  private write(key: string, value: string): boolean {
    try {
      this.local?.setItem(key, value);
      this.unwritten.delete(key);
      return true;
    } catch {
      this.unwritten.add(key);
      return false;
    }
  }

  remove(key: string): void {
    this.memory.delete(key);
    this.unwritten.delete(key);
    try {
      this.local?.removeItem(key);
    } catch {
      // Nothing to do: the key is gone from memory.
    }
  }

  keys(prefix: string): string[] {
    const found = new Set([...this.memory.keys()].filter((k) => k.startsWith(prefix)));
    try {
      for (let i = 0; this.local && i < this.local.length; i++) {
        const key = this.local.key(i);
        if (key?.startsWith(prefix)) found.add(key);
      }
    } catch {
      // Storage went away: memory keys only.
    }
    return [...found];
  }
}
