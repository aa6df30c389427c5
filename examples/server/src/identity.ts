import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuyerIdentity } from '@xiaoer/core';
import type { VerifiedBuyer } from '@xiaoer/adapters/memory';

/**
 * The shop's signed buyer identity: the shop's server signs `${id}.${expires}` with a secret the
 * browser never sees, and the backend checks the signature before it trusts the buyer.
 */

/** hex HMAC-SHA256(secret, `${id}.${expires}`). */
export function signBuyer(secret: string, id: string, expires: number): string {
  return createHmac('sha256', secret).update(`${id}.${expires}`).digest('hex');
}

/** A signed identity for `id`, valid for `ttlMs`. */
export function buyerIdentity(secret: string, buyer: { id: string; name?: string }, now: number, ttlMs = 60 * 60_000): BuyerIdentity {
  const expires = now + ttlMs;
  return { id: buyer.id, expires, signature: signBuyer(secret, buyer.id, expires), ...(buyer.name ? { name: buyer.name } : {}) };
}

/**
 * The verifier the backend calls: the buyer when the signature is the shop's and has not expired,
 * otherwise null. Compared in constant time. The display name is not signed, so the shop's own
 * directory wins over the one the browser sent.
 */
export function createBuyerVerifier(secret: string, directory: ReadonlyMap<string, string> = new Map()) {
  return (identity: BuyerIdentity, now: number): VerifiedBuyer | null => {
    if (!Number.isSafeInteger(identity.expires) || identity.expires <= now) return null;
    const expected = Buffer.from(signBuyer(secret, identity.id, identity.expires), 'hex');
    const given = Buffer.from(identity.signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const name = directory.get(identity.id) ?? identity.name;
    return { id: identity.id, ...(name ? { name } : {}) };
  };
}

/**
 * The shop secret: `XIAOER_SHOP_SECRET` when set, else one generated on first start and kept in the
 * data folder (readable by the owner only), so signatures survive restarts.
 */
export function loadShopSecret(dataDir: string, fromEnv?: string): string {
  if (fromEnv && fromEnv.length > 0) return fromEnv;
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'shop-secret');
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored.length >= 32) return stored;
  }
  const secret = randomBytes(32).toString('hex');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return secret;
}
