import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES } from '@xiaoer/core';
import { noisyPng, tinyPng } from '../test-helpers/dom.js';
import { PhotoError, preparePhoto, sniffMime } from './photo.js';

describe('preparePhoto', () => {
  it('knows JPEG, PNG and WebP by their bytes, whatever the file says', () => {
    expect(sniffMime(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMime(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toBe('image/png');
    expect(sniffMime(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffMime(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(sniffMime(new Uint8Array())).toBeNull();
  });

  it('refuses a file that is not an image, even named .jpg', async () => {
    const fake = new File(['<svg onload=alert(1)>'], 'cat.jpg', { type: 'image/jpeg' });
    await expect(preparePhoto(fake)).rejects.toEqual(new PhotoError('type'));
  });

  it('passes a small photo through untouched', async () => {
    const file = await tinyPng();
    const photo = await preparePhoto(file);
    expect(photo.mime).toBe('image/png');
    expect(photo.bytes).toEqual(new Uint8Array(await file.arrayBuffer()));
  });

  it('shrinks a large photo into a JPEG within the upload limit', async () => {
    const file = await noisyPng(1800, 1400);
    expect(file.size).toBeGreaterThan(MAX_PHOTO_BYTES * 4);
    const photo = await preparePhoto(file);
    expect(photo.mime).toBe('image/jpeg');
    expect(photo.bytes.length).toBeLessThanOrEqual(MAX_PHOTO_BYTES);
    expect([...photo.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    // Still a picture of the same shape.
    const bitmap = await createImageBitmap(new Blob([photo.bytes as BlobPart], { type: 'image/jpeg' }));
    expect(bitmap.width / bitmap.height).toBeCloseTo(1800 / 1400, 1);
    bitmap.close();
  });

  it('says so when the bytes cannot be decoded', async () => {
    const broken = new Uint8Array(MAX_PHOTO_BYTES + 10);
    broken.set([0x89, 0x50, 0x4e, 0x47]);
    await expect(preparePhoto(new File([broken], 'broken.png'))).rejects.toEqual(new PhotoError('unreadable'));
  });
});
