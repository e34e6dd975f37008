// Where each network's share dialog lives. Nothing is requested from these hosts until the
// visitor clicks their button.
import type { ShareChannel } from './engine-module.js';

export type NetworkChannel = Extract<ShareChannel, 'x' | 'facebook' | 'linkedin' | 'whatsapp'>;

export const networks: readonly NetworkChannel[] = ['x', 'facebook', 'linkedin', 'whatsapp'];

export function networkShareUrl(channel: NetworkChannel, url: string, title: string): string {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  switch (channel) {
    case 'x':
      return `https://x.com/intent/post?url=${u}&text=${t}`;
    case 'facebook':
      return `https://www.facebook.com/sharer/sharer.php?u=${u}`;
    case 'linkedin':
      return `https://www.linkedin.com/sharing/share-offsite/?url=${u}`;
    case 'whatsapp':
      return `https://wa.me/?text=${encodeURIComponent(title ? `${title} ${url}` : url)}`;
  }
}

export function emailShareUrl(url: string, title: string): string {
  return `mailto:?subject=${encodeURIComponent(title)}&body=${encodeURIComponent(url)}`;
}
