import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { PhotoError, preparePhoto, type PhotoMime, type PhotoProblem } from '../internal/photo.js';

export interface PreparedPhoto {
  readonly mime: PhotoMime;
  readonly bytes: Uint8Array;
}

/** A photo the buyer picked, pasted or dropped into the composer, waiting for Send. */
export interface PendingPhoto {
  readonly key: number;
  /** An object URL of the buyer's own file, for the thumbnail (the page's CSP needs `img-src blob:`). */
  readonly preview: string;
  /** Checked and, when too large, shrunk on the device; until then the thumbnail says so. */
  readonly prepared: PreparedPhoto | null;
}

/** Most photos waiting in the composer at once (a chat app's usual nine). */
export const MAX_PENDING_PHOTOS = 9;

let keys = 0;

/**
 * The composer's photos between being chosen and being sent: each is checked (JPEG, PNG or WebP by
 * its bytes) and made small enough on the device as soon as it is added, shown as a thumbnail, and
 * handed over in the order added when the buyer sends. A photo that cannot be used is dropped and
 * reported (`onProblem`); nothing is sent before Send.
 */
export class PendingPhotos implements ReactiveController {
  items: readonly PendingPhoto[] = [];
  private readonly work = new Map<number, Promise<PreparedPhoto | null>>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onProblem: (problem: PhotoProblem | 'limit') => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.clear();
  }

  /** Adds image files (others are reported as the wrong type); beyond the limit, reports 'limit'. */
  add(files: readonly File[]): void {
    if (files.length === 0) return;
    const room = MAX_PENDING_PHOTOS - this.items.length;
    if (files.length > room) this.onProblem('limit');
    const added = files.slice(0, Math.max(0, room)).map((file): [PendingPhoto, File] => [{ key: ++keys, preview: URL.createObjectURL(file), prepared: null }, file]);
    if (added.length === 0) return;
    this.items = [...this.items, ...added.map(([photo]) => photo)];
    this.host.requestUpdate();
    for (const [photo, file] of added) this.work.set(photo.key, this.prepare(photo, file));
  }

  remove(key: number): void {
    const photo = this.items.find((p) => p.key === key);
    if (!photo) return;
    URL.revokeObjectURL(photo.preview);
    this.items = this.items.filter((p) => p.key !== key);
    this.work.delete(key);
    this.host.requestUpdate();
  }

  /**
   * Waits for the photos still being prepared and hands all of them over, in order, emptying the
   * composer's row. Photos found unusable on the way are left out (and were reported).
   */
  async take(): Promise<PreparedPhoto[]> {
    const taken = this.items;
    const prepared = await Promise.all(taken.map((p) => this.work.get(p.key)!));
    for (const photo of taken) this.remove(photo.key);
    return prepared.filter((p): p is PreparedPhoto => p !== null);
  }

  clear(): void {
    for (const photo of this.items) URL.revokeObjectURL(photo.preview);
    this.items = [];
    this.work.clear();
  }

  private async prepare(photo: PendingPhoto, file: File): Promise<PreparedPhoto | null> {
    try {
      const prepared = await preparePhoto(file);
      if (this.items.some((p) => p.key === photo.key)) {
        this.items = this.items.map((p) => (p.key === photo.key ? { ...p, prepared } : p));
        this.host.requestUpdate();
      }
      return prepared;
    } catch (error) {
      this.remove(photo.key);
      this.onProblem(error instanceof PhotoError ? error.reason : 'unreadable');
      return null;
    }
  }
}
