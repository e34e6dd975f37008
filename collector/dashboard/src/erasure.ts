// Erasure: a visitor or subscriber id deleted after a confirmation; the page reads everything again.
import type { Context } from './context.js';
import { panel } from './context.js';
import { el, replaceChildren } from './dom.js';
import type { Erasure } from './types.js';

export function erasurePanel(context: Context): HTMLElement {
  const kind = el('select', { 'aria-label': 'Kind of id' },
    el('option', { value: 'visitors' }, 'Visitor id'), el('option', { value: 'subscribers' }, 'Subscriber id'));
  const id = el('input', { type: 'text', required: true, 'aria-label': 'Id to erase', placeholder: 'id to erase', autocomplete: 'off' });
  const result = el('p', { role: 'status' });
  const form = el('form', { class: 'erase', onsubmit: async (event: Event) => {
    event.preventDefault();
    const value = id.value.trim();
    if (!value) return;
    if (!window.confirm(`Erase every event of ${value}? Their places in cascades become anonymous. This cannot be undone.`)) return;
    try {
      const answer = await context.api.remove<Erasure>(`${kind.value}/${encodeURIComponent(value)}`);
      const d = answer.deleted;
      replaceChildren(result, `${answer.message} (${d.visitors} visitors, ${d.shares} shares, ${d.clickbacks} clickbacks, ${d.summaries} summaries, ${d.conversions} conversions)`);
      id.value = '';
      context.refresh();
    } catch (error) {
      replaceChildren(result, `Not erased: ${(error as Error).message}`);
    }
  } }, kind, id, el('button', { type: 'submit' }, 'Erase'));
  return panel('Erase a person', 'erasure',
    el('p', {}, 'Deletes their events and identifiers; the figures update. Others keep their scores.'), form, result);
}
