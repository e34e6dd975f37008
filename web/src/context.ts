// What the shell's parts share: the engine, the one policy for outcomes it refuses, and the pump
// that runs after every fact.
import type { Outcome, WasmEngine } from './engine-module.js';
import { ShareTrackError } from './errors.js';

export interface Context {
  readonly engine: WasmEngine;
  /**
   * The value of an outcome. A refused one raises `sharetrack:error` (a ShareTrackError) on
   * `target`, the element the call was made for or the document for page-wide facts, and gives null.
   */
  settle<T extends object>(outcome: Outcome<T>, target?: EventTarget): ({ ok: true } & T) | null;
  /** After a fact: write what is due, post what is due, wake when due (delivery.ts). */
  pump(hiding?: boolean): void;
}

export function raise(target: EventTarget, error: ShareTrackError): void {
  target.dispatchEvent(new CustomEvent('sharetrack:error', { bubbles: true, composed: true, detail: error }));
}

export function settleOn<T extends object>(outcome: Outcome<T>, target: EventTarget): ({ ok: true } & T) | null {
  if (outcome.ok) return outcome;
  raise(target, new ShareTrackError(outcome.code, outcome.message));
  return null;
}
