import { MAX_PHOTO_BYTES } from '@xiaoer/core';

/** The image types a buyer may upload. */
export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** Why an upload was refused (the `reason` of the nack). */
export type PhotoRefusal = 'photo-invalid' | 'photo-empty' | 'photo-too-large' | 'photo-type-mismatch';

const SIGNATURES: Record<PhotoMime, (b: Uint8Array) => boolean> = {
  'image/jpeg': (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x),
  // RIFF····WEBP
  'image/webp': (b) => b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP',
};

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/** Decodes standard base64 (with padding). Returns null for anything else. Works in browsers and Node. */
export function decodeBase64(data: string): Uint8Array | null {
  if (data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return null;
  try {
    const binary = atob(data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/**
 * Checks an uploaded photo: the base64 decodes, it is not empty, at most `MAX_PHOTO_BYTES`, and its
 * first bytes are those of the declared type (a PNG declared as JPEG, or an HTML page declared as
 * an image, is refused — the server later serves the bytes under the declared type).
 */
export function checkPhoto(mime: PhotoMime, data: string): { ok: true; bytes: Uint8Array } | { ok: false; reason: PhotoRefusal; message: string } {
  const bytes = decodeBase64(data);
  if (!bytes) return { ok: false, reason: 'photo-invalid', message: 'the photo is not valid base64' };
  if (bytes.length === 0) return { ok: false, reason: 'photo-empty', message: 'the photo is empty' };
  if (bytes.length > MAX_PHOTO_BYTES) return { ok: false, reason: 'photo-too-large', message: `the photo is larger than ${MAX_PHOTO_BYTES} bytes` };
  const check = SIGNATURES[mime];
  if (!check || !check(bytes)) return { ok: false, reason: 'photo-type-mismatch', message: `the bytes are not a ${mime} image` };
  return { ok: true, bytes };
}

/** An unguessable token (192 random bits, base64url, 32 characters) for a photo's URL. */
export function photoToken(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

/** What a photo token looks like; anything else is not looked up. */
export const PHOTO_TOKEN = /^[A-Za-z0-9_-]{32}$/;
