// How figures read: grouped integers, percentages, rates with two decimals, a dash for "no rate".
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export const count = (n: number): string => integer.format(n);
export const number = (n: number | null): string => (n === null ? '–' : decimal.format(n));
export const percent = (n: number | null): string => (n === null ? '–' : `${decimal.format(n * 100)} %`);
export const seconds = (ms: number | null): string => (ms === null ? '–' : `${decimal.format(ms / 1000)} s`);
export const money = (n: number): string => decimal.format(n);
export const shortId = (id: string | null): string => (id === null ? 'anonymous (erased)' : id.length > 12 ? `${id.slice(0, 10)}…` : id);

export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// "+12 %" against the previous period, or "new" when it had none.
export function change(now: number | null, before: number | null): { text: string; trend: 'up' | 'down' | 'flat' } {
  if (now === null) return { text: '', trend: 'flat' };
  if (before === null) return { text: 'new', trend: 'up' };
  if (before === 0) return now === 0 ? { text: '±0', trend: 'flat' } : { text: 'new', trend: 'up' };
  const delta = (now - before) / Math.abs(before);
  const trend = delta > 0.005 ? 'up' : delta < -0.005 ? 'down' : 'flat';
  return { text: `${delta > 0 ? '+' : ''}${decimal.format(delta * 100)} %`, trend };
}
