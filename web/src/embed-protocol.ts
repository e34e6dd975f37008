// The messages between a testimonial wall in an iframe (embed-frame.ts) and the brand's page
// that embeds it (embed-host.ts). The host's engine does all the tracking: the frame only reports
// its widgets' facts and asks the host to prepare each share, so a share carries the host page's
// URL and the host page's visitor, and the friend's landing on the host page is recognised there.
import type { PreparedShare, ShareChannel } from './engine-module.js';
import type { ShareTrackError } from './errors.js';

type Code = ShareTrackError['code'];

export const embedTag = 'sharetrack-embed';

/** Frame to host. `widget` is the widget's index in its frame. */
export type FrameMessage =
  | { kind: 'hello' }
  | { kind: 'rendered'; widget: number; content: string }
  | { kind: 'viewport'; widget: number; ratio: number }
  | { kind: 'video-time'; widget: number; position: number; duration: number }
  | { kind: 'video-seeking' | 'video-ended' | 'copied'; widget: number }
  | { kind: 'focus'; focused: boolean }
  | { kind: 'input' }
  | { kind: 'prepare'; request: number; widget: number; channel: ShareChannel; url: string | null }
  | { kind: 'commit'; widget: number; share: PreparedShare };

/** Host to frame. */
export type HostMessage =
  | { kind: 'welcome'; title: string }
  | { kind: 'prepared'; request: number; share?: PreparedShare; code?: Code; message?: string }
  | { kind: 'error'; widget: number; code: Code; message: string };

export type Tagged<T> = T & { [embedTag]: 1 };

export function tagged<T extends object>(message: T): Tagged<T> {
  return { ...message, [embedTag]: 1 } as Tagged<T>;
}

/** The message, when `data` is one of ours (a page's other frames post theirs too). */
export function untagged<T extends { kind: string }>(data: unknown): T | null {
  if (typeof data !== 'object' || data === null) return null;
  const message = data as Record<string, unknown>;
  return message[embedTag] === 1 && typeof message.kind === 'string' ? (message as unknown as T) : null;
}
