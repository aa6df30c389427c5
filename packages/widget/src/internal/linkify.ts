/** A run of message text: plain, or a link the buyer may follow. */
export type TextPiece = { readonly text: string } | { readonly text: string; readonly href: string };

// http(s) URLs and e-mail addresses (shown as mailto:). Nothing else becomes a link: no
// javascript:, data:, or custom schemes, whatever an agent or a FAQ answer contains.
const LINK = /\bhttps?:\/\/[^\s<>"'，。！？、；：）》」』]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/giu;
/** Characters that usually end a sentence rather than a URL. */
const TRAILING = /[.,;:!?)\]}'"]+$/u;
/** Bounds the work on a huge message: only this much of it is scanned for links. */
const MAX_SCAN = 20_000;

/**
 * Splits untrusted text into plain runs and links (http, https, mailto) for rendering as text
 * nodes and `<a>` elements — never as HTML.
 */
export function linkify(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  const scanned = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
  let at = 0;
  for (const match of scanned.matchAll(LINK)) {
    let raw = match[0];
    const trailing = TRAILING.exec(raw)?.[0] ?? '';
    raw = raw.slice(0, raw.length - trailing.length);
    if (!raw) continue;
    const start = match.index ?? 0;
    const href = toHref(raw);
    if (!href) continue;
    if (start > at) pieces.push({ text: text.slice(at, start) });
    pieces.push({ text: raw, href });
    at = start + raw.length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at) });
  return pieces;
}

function toHref(raw: string): string | undefined {
  if (!/^https?:\/\//i.test(raw)) return `mailto:${raw}`;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
