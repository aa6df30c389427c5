/**
 * The URL if it may be shown or followed: http(s), or a same-origin path (`/x`, not `//host`).
 * Core's schemas already refuse anything else; this keeps the widget safe on its own.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (/^\/(?![/\\])/.test(url)) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined; // not a URL: nothing to show
  }
}
