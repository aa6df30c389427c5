import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendRecord } from '@xiaoer/adapters/memory';

/**
 * The server's embedded database: an append-only JSON-lines file of backend records. Each record
 * is written synchronously before the change is acknowledged, so a kill -9 never loses an
 * acknowledged message. A torn last line (crash mid-write) is skipped on load.
 */
export class RecordLog {
  private fd: number | null;
  readonly path: string;

  constructor(dataDir: string, { reset = false } = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, 'records.jsonl');
    if (reset && existsSync(this.path)) rmSync(this.path);
    this.fd = openSync(this.path, 'a');
  }

  load(): BackendRecord[] {
    const text = readFileSync(this.path, 'utf8');
    const records: BackendRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as BackendRecord);
      } catch {
        // A torn write at the end of the file: everything before it is intact.
      }
    }
    return records;
  }

  append(record: BackendRecord): void {
    if (this.fd === null) throw new Error('record log is closed');
    appendFileSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
