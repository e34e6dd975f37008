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

/** Longest text a share carries: an X post takes 280 characters, the link 23 of them. */
const textChars = 250;

/** The testimonial's quote in the language's quotation marks, then the title; the quote is cut
 *  so that the whole stays within textChars. */
export function shareText(title: string, quote: string, labels: Labels): string {
  const chars = Array.from(quote.trim());  // code points: a cut never splits one
  if (chars.length === 0) return title;
  const tail = `${labels.quoteClose}${title ? ` — ${title}` : ''}`;
  const room = Math.max(textChars - Array.from(labels.quoteOpen + tail).length, 1);
  const cut = chars.length > room ? `${chars.slice(0, room - 1).join('').trimEnd()}…` : chars.join('');
  return `${labels.quoteOpen}${cut}${tail}`;
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
