// Where each network's share dialog lives, and the text a share carries. Nothing is requested
// from these hosts until the visitor clicks their button.
import type { ShareChannel } from './engine-module.js';
import type { Labels } from './labels.js';

export type NetworkChannel = Extract<ShareChannel, 'x' | 'facebook' | 'linkedin' | 'whatsapp'>;

export const networks: readonly NetworkChannel[] = ['x', 'facebook', 'linkedin', 'whatsapp'];

const names: Record<NetworkChannel, string> = { x: 'X', facebook: 'Facebook', linkedin: 'LinkedIn', whatsapp: 'WhatsApp' };

/** The network's own name, the same in every language. */
export function networkName(channel: NetworkChannel): string {
  return names[channel];
}

/** Longest quote a share carries: X's post takes 280 characters, the link 23 of them. */
const quoteChars = 200;

/** The title, and the testimonial's quote in the language's quotation marks when it has one. */
export function shareText(title: string, quote: string, labels: Labels): string {
  const trimmed = quote.trim();
  if (!trimmed) return title;
  const cut = trimmed.length > quoteChars ? `${trimmed.slice(0, quoteChars - 1).trimEnd()}…` : trimmed;
  const quoted = `${labels.quoteOpen}${cut}${labels.quoteClose}`;
  return title ? `${quoted} — ${title}` : quoted;
}

export function networkShareUrl(channel: NetworkChannel, url: string, text: string): string {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(text);
  switch (channel) {
    case 'x':
      return `https://x.com/intent/post?url=${u}&text=${t}`;
    case 'facebook':
      return `https://www.facebook.com/sharer/sharer.php?u=${u}`;
    case 'linkedin':
      return `https://www.linkedin.com/sharing/share-offsite/?url=${u}`;
    case 'whatsapp':
      return `https://wa.me/?text=${encodeURIComponent(text ? `${text} ${url}` : url)}`;
  }
}

export function emailShareUrl(url: string, subject: string, text: string): string {
  const body = text && text !== subject ? `${text}\n\n${url}` : url;
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
