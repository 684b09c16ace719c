/** Plain-text formatting shared by the HTML and Markdown renderers. */

export function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  if (m < 60) return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** `2026-01-01 12:00:05 UTC` from an ISO time; the text as it is when it is not one. */
export function when(iso: string | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A status or action as words: `ready_for_review` → `ready for review`. */
export const words = (s: string): string => s.replace(/_/g, ' ');

export function percent(p: number): string {
  return `${Number.isInteger(p) ? p : p.toFixed(2).replace(/0+$/, '')} %`;
}

export function usd(v: number | null | undefined): string {
  if (v === null) return 'unknown (a model without a price)';
  if (v === undefined) return '';
  return `$${v < 0.01 ? v.toFixed(4) : v.toFixed(2)}`;
}

/**
 * `12,345`, as `toLocaleString('en-US')` writes it; a whole number without it, which loads ICU's
 * locale data the first time (~70 ms, more than the rest of a page).
 */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** A metric value as text. */
export function metricText(v: number | string | boolean): string {
  return typeof v === 'number' && !Number.isInteger(v) ? String(Math.round(v * 100) / 100) : String(v);
}
