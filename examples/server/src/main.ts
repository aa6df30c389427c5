#!/usr/bin/env node
import { resolve } from 'node:path';
import { startServer, type RunningServer } from './server.js';

const args = new Set(process.argv.slice(2));
const explicitPort = process.env.PORT !== undefined;
const basePort = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = resolve(process.env.XIAOER_DATA_DIR ?? resolve(process.cwd(), 'examples/server/.data'));

async function listen(): Promise<RunningServer> {
  // A port still held by an earlier run is not an error unless the port was asked for explicitly.
  for (let port = basePort; ; port++) {
    try {
      return await startServer({
        port,
        host,
        dataDir,
        reset: args.has('--reset'),
        deskKey: process.env.XIAOER_DESK_KEY,
        shopSecret: process.env.XIAOER_SHOP_SECRET,
        businessHours: process.env.XIAOER_BUSINESS_HOURS,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' || explicitPort || port - basePort >= 20) throw error;
    }
  }
}

const server = await listen().catch((error: unknown) => {
  console.error(`[xiaoer] could not start: ${(error as Error).message}`);
  process.exit(1);
});

console.log(`[xiaoer] reference server ready (data in ${dataDir})`);
console.log(`[xiaoer] storefront:  ${server.url}/`);
console.log(`[xiaoer] agent desk:  ${server.deskUrl}`);

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
