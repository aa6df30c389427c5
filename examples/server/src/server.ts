import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { DEMO_BUYER, DEMO_BUYERS, PHOTO_TOKEN, SupportBackend, type DeskClientFrame } from '@xiaoer/adapters/memory';
import { MAX_FRAME_BYTES, type ServerFrame } from '@xiaoer/core';
import { RecordLog } from './record-log.js';
import { boundedFrame, createSseEndpoint, receiveSafely } from './sse-endpoint.js';
import { serveFile } from './static-files.js';
import { buyerIdentity, createBuyerVerifier, loadShopSecret } from './identity.js';
import { businessHoursFromEnv } from './business-hours.js';
import { serveStorefront } from './storefront.js';

export interface ServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where the record log lives. */
  dataDir: string;
  /** Start from the seed only, dropping recorded conversations. */
  reset?: boolean;
  /** The key the agent desk must present; random when not given. */
  deskKey?: string;
  /** Ping period for dead-connection detection, ms. */
  heartbeatMs?: number;
  /** The secret buyer identities are signed with; else `shop-secret` in `dataDir`, made on first start. */
  shopSecret?: string;
  /** Business hours, `Asia/Shanghai 09:00-22:00`; always open when not given. */
  businessHours?: string;
  /** How often after-sales deadlines are applied, ms. */
  tickMs?: number;
  /** The clock (tests). */
  now?: () => number;
  /** How long before a connected buyer's signature expires they are told to renew it, ms (60 s). */
  identityWarningMs?: number;
  /** Where the demo "sends" guest codes and other notes; console.log by default. */
  log?: (line: string) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly deskUrl: string;
  readonly backend: SupportBackend;
  /** The shop secret buyer identities are signed with (for the shop's own tools and tests). */
  readonly shopSecret: string;
  close(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The package root, whether running from src/ (tests) or dist/ (npm start). */
const packageRoot = resolve(here, '..');
const publicDir = join(packageRoot, 'public');
const storefrontDir = resolve(packageRoot, '..', 'storefront');

/** The widget's build output, linked into this package's node_modules by the workspace. */
const widgetDistDir = join(packageRoot, 'node_modules', '@xiaoer', 'widget', 'dist');

/** The widget's ES modules, which /xiaoer.js imports from beside itself (one folder, flat names). */
const WIDGET_MODULE = /^\/xiaoer-widget\/[\w-]+\.js$/;

/**
 * Serves one of the widget's modules. Chunk names carry a content hash (`order-list-4F2KQ7ZA.js`),
 * so they are cached for good; the entry, `embed.js`, keeps its name across releases and is
 * revalidated, like /xiaoer.js.
 */
function serveWidgetModule(res: ServerResponse, relative: string): Promise<boolean> {
  const cacheControl = /-[A-Z0-9]{8}\.js$/.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache';
  return serveFile(res, widgetDistDir, relative, { cacheControl });
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The reference server: the Xiaoer protocol over WebSocket at `/xiaoer/ws`, the agent desk at
 * `/desk` (its socket at `/xiaoer/desk`), the demo storefront at `/`, and the widget's script-tag
 * build at `/xiaoer.js`. Data is the seed plus an append-only record log in `dataDir`.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // Parsed first: a malformed setting stops the start before anything is opened.
  const isOpen = businessHoursFromEnv(options.businessHours);
  const log = new RecordLog(options.dataDir, { reset: options.reset ?? false });
  const now = options.now ?? Date.now;
  const print = options.log ?? ((line: string) => console.log(line));
  const shopSecret = loadShopSecret(options.dataDir, options.shopSecret);
  const backend = new SupportBackend({
    now,
    persist: (record) => log.append(record),
    verifyBuyer: createBuyerVerifier(shopSecret, new Map(DEMO_BUYERS.map((b) => [b.id, b.name]))),
    ...(isOpen ? { isOpen } : {}),
    ...(options.identityWarningMs === undefined ? {} : { identityWarningMs: options.identityWarningMs }),
    // The demo has no SMS gateway: the code goes to the console for whoever runs it.
    onGuestCode: ({ orderId, code, contact }) => print(`[xiaoer] guest code for order ${orderId}: ${code} (to ${contact.phone ?? contact.email ?? 'the order contact'})`),
  });
  backend.restore(log.load());
  const deskKey = options.deskKey ?? randomBytes(12).toString('base64url');

  const sse = createSseEndpoint(backend, options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs });

  const http: Server = createServer((req, res) => {
    void (async () => {
      // The protocol over HTTP (Server-Sent Events down, POST up), for hosts that block WebSockets.
      if (sse.handle(req, res, '/xiaoer/http')) return;
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = decodeURIComponent(url.pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      let served = false;
      if (path === '/' || path === '/index.html') {
        // The demo storefront is "logged in" as the demo buyer; `?guest=1` browses anonymously.
        const identity = url.searchParams.get('guest') === '1' ? null : buyerIdentity(shopSecret, DEMO_BUYER, now());
        served = await serveStorefront(res, storefrontDir, identity);
      } else if (path === '/demo/identity') {
        // The demo shop's "renew my signature" endpoint, for the widget's refreshIdentity: a shop
        // answers it from the buyer's login session; the demo buyer is always logged in (as on `/`).
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(JSON.stringify(buyerIdentity(shopSecret, DEMO_BUYER, now())));
        served = true;
      } else if (path.startsWith('/xiaoer/photos/')) served = servePhoto(res, path.slice('/xiaoer/photos/'.length));
      else if (path === '/desk' || path === '/desk/') served = await serveFile(res, publicDir, 'desk.html');
      else if (path.startsWith('/desk/')) served = await serveFile(res, publicDir, path.slice('/desk/'.length));
      else if (path === '/xiaoer.js' || path === '/xiaoer.js.map') served = await serveFile(res, widgetDistDir, path.slice(1));
      else if (WIDGET_MODULE.test(path)) served = await serveWidgetModule(res, path.slice(1));
      else if (path === '/xiaoer/stats' && sameSecret(url.searchParams.get('key') ?? '', deskKey)) {
        // For operators and tests (one socket for several tabs of one buyer): behind the desk key.
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ buyerSockets: buyerSockets.clients.size }));
        served = true;
      } else if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        served = true;
      } else if (path.startsWith('/storefront/')) served = await serveFile(res, storefrontDir, path.slice('/storefront/'.length));
      if (!served) res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  /** A buyer's photo, by its unguessable token: the stored bytes under their checked type, never sniffed. */
  function servePhoto(res: ServerResponse, token: string): boolean {
    const photo = PHOTO_TOKEN.test(token) ? backend.photo(token) : undefined;
    if (!photo) return false;
    res.writeHead(200, {
      'content-type': photo.mime,
      'content-length': photo.bytes.length,
      'cache-control': 'private, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition': 'inline',
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
    });
    res.end(photo.bytes);
    return true;
  }

  const buyerSockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const deskSockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/xiaoer/ws') {
      buyerSockets.handleUpgrade(req, socket, head, (ws) => buyerSockets.emit('connection', ws, req));
    } else if (url.pathname === '/xiaoer/desk' && sameSecret(url.searchParams.get('key') ?? '', deskKey)) {
      deskSockets.handleUpgrade(req, socket, head, (ws) => deskSockets.emit('connection', ws, req));
    } else {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
    }
  });

  const alive = new WeakMap<WebSocket, boolean>();
  const watch = (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
  };

  buyerSockets.on('connection', (ws: WebSocket) => {
    watch(ws);
    const send = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(boundedFrame(frame)));
    };
    const connection = backend.connectBuyer(send);
    ws.on('message', (data, isBinary) => {
      alive.set(ws, true);
      receiveSafely(connection, isBinary ? null : data.toString('utf8'), send);
    });
    ws.on('close', () => connection.close());
    ws.on('error', () => connection.close());
  });

  deskSockets.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    watch(ws);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const agents = backend.listAgents();
    const agent = agents.find((a) => a.id === url.searchParams.get('agent')) ?? agents[0]!;
    const connection = backend.connectAgent(agent, (frame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    });
    ws.on('message', (data) => {
      let frame: DeskClientFrame;
      try {
        frame = JSON.parse(data.toString('utf8')) as DeskClientFrame;
      } catch {
        ws.send(JSON.stringify({ kind: 'desk.error', message: 'frame is not valid JSON' }));
        return;
      }
      connection.receive(frame);
    });
    ws.on('close', () => connection.close());
    ws.on('error', () => connection.close());
  });

  // Terminate sockets that stopped answering pings (half-open links), so their resources go.
  const heartbeat = setInterval(() => {
    for (const server of [buyerSockets, deskSockets]) {
      for (const ws of server.clients) {
        if (alive.get(ws) === false) {
          ws.terminate();
          continue;
        }
        alive.set(ws, false);
        ws.ping();
      }
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  // After-sales deadlines are data: apply the ones that passed (auto-approve, close, assume receipt).
  const ticker = setInterval(() => {
    try {
      backend.tick();
    } catch (error) {
      print(`[xiaoer] deadline tick failed: ${(error as Error).message}`);
    }
  }, options.tickMs ?? 10_000);
  ticker.unref();

  await new Promise<void>((resolvePromise, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolvePromise();
    });
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    deskUrl: `${url}/desk?key=${encodeURIComponent(deskKey)}`,
    backend,
    shopSecret,
    close() {
      closing ??= shutdown();
      return closing;
    },
  };

  async function shutdown() {
    clearInterval(heartbeat);
    clearInterval(ticker);
    sse.close();
    for (const server of [buyerSockets, deskSockets]) for (const ws of server.clients) ws.terminate();
    await new Promise<void>((r) => buyerSockets.close(() => r()));
    await new Promise<void>((r) => deskSockets.close(() => r()));
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
    log.close();
  }
}
