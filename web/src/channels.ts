// Which share controls a widget shows, in which order: the element's `channels` attribute, else
// the site's `channels` option, else all of them. Names are the protocol's channel names.
import type { ShareChannel } from './engine-module.js';

export const allChannels: readonly ShareChannel[] = ['native', 'copy', 'x', 'facebook', 'linkedin', 'whatsapp', 'email'];

export interface ChosenChannels {
  /** In the order given, each once. */
  channels: ShareChannel[];
  /** The names that are no channel, as given. */
  unknown: string[];
}

/** Reads a space-separated list ("native copy linkedin email"); null or blank means all. */
export function chooseChannels(list: string | null | undefined): ChosenChannels {
  const names = (list ?? '').split(/\s+/).filter(Boolean);
  if (names.length === 0) return { channels: [...allChannels], unknown: [] };
  const channels: ShareChannel[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const channel = allChannels.find((known) => known === name.toLowerCase());
    if (!channel) unknown.push(name);
    else if (!channels.includes(channel)) channels.push(channel);
  }
  return { channels, unknown };
}
