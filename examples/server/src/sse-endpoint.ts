import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION, type ServerFrame } from '@xiaoer/core';
import type { BuyerConnection, SupportBackend } from '@xiaoer/adapters/memory';

/**
 * Hands one buyer frame to the backend. `BuyerConnection.receive` promises never to throw, but
 * core's validator once did (fuzz test: a `"v"` nested 10,000 deep overflowed the stack while the
 * error message was written), and a throw here is an uncaught exception that stops the whole server
 * for every buyer. So a frame that makes it throw is answered like any malformed frame.
 */
export function receiveSafely(connection: BuyerConnection, data: unknown, send: (frame: ServerFrame) => void): void {
  try {
    connection.receive(data);
  } catch {
    send({ v: PROTOCOL_VERSION, kind: 'error', error: { code: 'protocol', message: 'the frame could not be read', retryable: false } });
  }
}

/** The protocol's bound on an error's message (`WireErrorSchema` in core). */
const MAX_ERROR_MESSAGE = 1_000;

/**
 * Keeps an `error` / `nack` within the protocol's bounds. Core's validation messages quote what
 * they refused, at any length (fuzz test: a `"v"` of 2,000 characters came back in full), and a
 * client then rejects the server's own answer as an invalid frame instead of showing the error.
 */
export function boundedFrame(frame: ServerFrame): ServerFrame {
  if ((frame.kind === 'error' || frame.kind === 'nack') && frame.error.message.length > MAX_ERROR_MESSAGE) {
    return { ...frame, error: { ...frame.error, message: `${frame.error.message.slice(0, MAX_ERROR_MESSAGE - 1)}…` } };
  }
  return frame;
}

export interface SseEndpointOptions {
  /** A comment line this often keeps proxies from closing an idle stream and lets clients spot dead ones. */
  heartbeatMs?: number;
}

function decodeHello(param: string | null): unknown {
  if (!param || param.length > MAX_FRAME_BYTES) return null;
  try {
    return JSON.parse(Buffer.from(param, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** An SSE event id is `<conversationId>:<seq>`: enough to resume a stream whose hello named no conversation. */
function parseEventId(header: string | string[] | undefined): { conversationId: string; seq: number } | null {
  if (typeof header !== 'string') return null;
  const at = header.lastIndexOf(':');
  const seq = Number(header.slice(at + 1));
  const conversationId = header.slice(0, at);
  return at > 0 && Number.isInteger(seq) && seq >= 0 && conversationId.length <= 128 ? { conversationId, seq } : null;
}

/**
 * The protocol over HTTP: Server-Sent Events down (`GET …/events?hello=<base64url JSON>`), frames up
 * (`POST …/frames?connection=<id>`). Conversation events carry `<conversationId>:<seq>` as the SSE id,
 * so a stream the browser re-opens by itself resumes from `Last-Event-ID`.
 */
export function createSseEndpoint(backend: SupportBackend, options: SseEndpointOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streams = new Map<string, { connection: BuyerConnection; res: ServerResponse; write: (frame: ServerFrame) => void }>();

  function openStream(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const hello = decodeHello(url.searchParams.get('hello')) as Record<string, unknown> | null;
    if (!hello || typeof hello !== 'object' || hello.kind !== 'session.start') {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('hello must be a base64url session.start frame');
      return;
    }
    // The browser re-opened the stream by itself (same URL, so the hello may predate the
    // conversation): resume after the last event it got, in the conversation that event was in.
    const resumeFrom = parseEventId(req.headers['last-event-id']);
    if (resumeFrom) {
      if (hello.conversationId === undefined) hello.conversationId = resumeFrom.conversationId;
      if (hello.conversationId === resumeFrom.conversationId && resumeFrom.seq > Number(hello.afterSeq ?? 0)) hello.afterSeq = resumeFrom.seq;
    }

    const id = randomBytes(16).toString('base64url');
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // A random reconnection delay per stream (1–5 s): after a restart, browsers come back spread
    // out instead of all at the same instant.
    res.write(`retry: ${1_000 + Math.floor(Math.random() * 4_000)}\nevent: connection\ndata: ${id}\n\n`);
    const write = (frame: ServerFrame) => {
      if (res.writableEnded) return;
      const sseId = frame.kind === 'event' ? `id: ${frame.conversationId}:${frame.seq}\n` : '';
      res.write(`${sseId}data: ${JSON.stringify(boundedFrame(frame))}\n\n`);
    };
    const connection = backend.connectBuyer(write);
    streams.set(id, { connection, res, write });
    const heartbeat = setInterval(() => res.write('event: ping\ndata: \n\n'), heartbeatMs);
    heartbeat.unref();
    const close = () => {
      clearInterval(heartbeat);
      connection.close();
      streams.delete(id);
    };
    req.on('close', close);
    receiveSafely(connection, hello, write);
  }

  function postFrame(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const stream = streams.get(url.searchParams.get('connection') ?? '');
    if (!stream) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('no such connection');
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FRAME_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      receiveSafely(stream.connection, Buffer.concat(chunks).toString('utf8'), stream.write);
      res.writeHead(202).end();
    });
  }

  return {
    /** Handles the request when it is for this endpoint (`prefix` + `/events` or `/frames`); false otherwise. */
    handle(req: IncomingMessage, res: ServerResponse, prefix: string): boolean {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === `${prefix}/events` && req.method === 'GET') openStream(req, res, url);
      else if (url.pathname === `${prefix}/frames` && req.method === 'POST') postFrame(req, res, url);
      else return false;
      return true;
    },
    /** Ends every open stream (server shutdown). */
    close(): void {
      for (const { res, connection } of streams.values()) {
        connection.close();
        res.end();
      }
      streams.clear();
    },
    get openStreams(): number {
      return streams.size;
    },
  };
}
