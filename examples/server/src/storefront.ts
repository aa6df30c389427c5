import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { BuyerIdentity } from '@xiaoer/core';
import { contentSecurityPolicy } from './static-files.js';

/** Escapes text for a double-quoted HTML attribute value. */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const EMBED = '<script src="/xiaoer.js"';

/**
 * The storefront page with the logged-in buyer's signed identity on the Xiaoer script tag
 * (`data-buyer-id`, `-name`, `-expires`, `-signature`), as a shop's server would render it. Without
 * an identity the page is served as is: an anonymous visitor.
 */
export function renderStorefront(html: string, identity: BuyerIdentity | null): string {
  if (!identity) return html;
  const attributes = [
    ['data-buyer-id', identity.id],
    ...(identity.name ? [['data-buyer-name', identity.name]] : []),
    ['data-buyer-expires', String(identity.expires)],
    ['data-buyer-signature', identity.signature],
    // Where the widget asks for a fresh signature when this one expires mid-session.
    ['data-identity-url', '/demo/identity'],
  ]
    .map(([name, value]) => ` ${name}="${escapeAttribute(value!)}"`)
    .join('');
  return html.replace(EMBED, `${EMBED}${attributes}`);
}

/** Serves the storefront's index.html, rendered for `identity`, under the strict policy. */
export async function serveStorefront(res: ServerResponse, storefrontDir: string, identity: BuyerIdentity | null): Promise<boolean> {
  let html: string;
  try {
    html = await readFile(join(storefrontDir, 'index.html'), 'utf8');
  } catch {
    return false;
  }
  const body = Buffer.from(renderStorefront(html, identity), 'utf8');
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': body.length,
    // The page carries a per-visit signature: never cache it.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': contentSecurityPolicy(),
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
  return true;
}
