// Errors cross the wasm boundary as data ({ok, code, message}) and become this class only here.
import type { ErrorCode, Outcome } from './engine-module.js';

/** The web layer's own codes, for what happens before or around the engine. */
export type WebErrorCode =
  | 'engine_unavailable'  // the module could not load: tracking is off, sharing works
  | 'not_initialized'     // sharetrack.init() has not run
  | 'share_failed'        // the share target threw (navigator.share, window.open)
  | 'copy_failed'         // the browser refused to copy the link
  | 'channel_unknown'     // a widget's channels name one that does not exist (the rest show)
  | 'option_invalid';     // a widget's layout, theme or label is none there is (the default shows)

export class ShareTrackError extends Error {
  /** A code of core's ErrorCode (e.g. "content_invalid") or of the web layer. */
  readonly code: ErrorCode | WebErrorCode;

  constructor(code: ErrorCode | WebErrorCode, message: string) {
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
