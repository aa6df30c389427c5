import { MAX_PHOTO_BYTES } from '@xiaoer/core';

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** Why a photo cannot be used: not a JPEG/PNG/WebP, cannot be decoded, or cannot be made small enough. */
export type PhotoProblem = 'type' | 'unreadable' | 'too-large';

export class PhotoError extends Error {
  constructor(readonly reason: PhotoProblem) {
    super(`photo: ${reason}`);
    this.name = 'PhotoError';
  }
}

/** The image type by its first bytes (a file's `type` is only its name's guess). */
export function sniffMime(head: Uint8Array): PhotoMime | null {
  const at = (i: number) => head[i] ?? -1;
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** Longest edge a shrunk photo starts from; smaller tries follow until it fits. */
const MAX_EDGE = 2048;

/**
 * Makes a buyer's photo ready for `client.uploadPhoto`: checks it is a JPEG, PNG or WebP by its
 * bytes, and when it is larger than `maxBytes` re-encodes it as JPEG on a canvas, smaller and at
 * lower quality step by step, until it fits. Needs no CSP exception (`createImageBitmap` and
 * `OffscreenCanvas`/`<canvas>` read the blob directly).
 */
export async function preparePhoto(file: Blob, maxBytes: number = MAX_PHOTO_BYTES): Promise<{ mime: PhotoMime; bytes: Uint8Array }> {
  const mime = sniffMime(new Uint8Array(await file.slice(0, 12).arrayBuffer()));
  if (!mime) throw new PhotoError('type');
  if (file.size <= maxBytes) return { mime, bytes: new Uint8Array(await file.arrayBuffer()) };

  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PhotoError('unreadable');
  }
  try {
    let scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
    let quality = 0.85;
    for (let attempt = 0; attempt < 8; attempt++) {
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const blob = await encodeJpeg(bitmap, width, height, quality);
      if (blob.size <= maxBytes) return { mime: 'image/jpeg', bytes: new Uint8Array(await blob.arrayBuffer()) };
      // Shrink by the overshoot (bytes grow with area), and trade a little quality each round.
      scale *= Math.max(0.5, Math.min(0.9, Math.sqrt(maxBytes / blob.size)));
      quality = Math.max(0.5, quality - 0.1);
    }
  } finally {
    bitmap.close();
  }
  throw new PhotoError('too-large');
}

async function encodeJpeg(bitmap: ImageBitmap, width: number, height: number, quality: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    draw(canvas.getContext('2d'), bitmap, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  draw(canvas.getContext('2d'), bitmap, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new PhotoError('unreadable'))), 'image/jpeg', quality));
}

function draw(context: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null, bitmap: ImageBitmap, width: number, height: number): void {
  if (!context) throw new PhotoError('unreadable');
  // JPEG has no transparency: a transparent PNG would turn black without a white ground.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
}

export const PHOTO_ACCEPT = 'image/jpeg,image/png,image/webp';
