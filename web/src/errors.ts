// Errors cross the wasm boundary as data ({ok, code, message}) and become this class only here.
import type { Outcome } from './engine-module.js';

export class ShareTrackError extends Error {
  /** The stable code of core's ErrorCode (e.g. "content_invalid"), or a code of the web layer. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ShareTrackError';
    this.code = code;
  }
}

/** The value of a successful outcome; a failed one throws ShareTrackError. */
export function unwrap<T extends object>(outcome: Outcome<T>): { ok: true } & T {
  if (!outcome.ok) throw new ShareTrackError(outcome.code, outcome.message);
  return outcome;
}
