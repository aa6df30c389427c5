import type { ClientFrame, ServerFrame, SessionStartFrame } from '../protocol/frames.js';
import type { Transport, TransportCapabilities, TransportEvent } from '../transport.js';

/**
 * A transport driven by the test: it records what the client sends and lets the test play the
 * server (`open()`, `receive(frame)`, `drop()`).
 */
export class MockTransport implements Transport {
  readonly spec = 'v1' as const;
  readonly capabilities: TransportCapabilities;
  /** Every frame the client sent, in order (session starts included). */
  readonly sent: ClientFrame[] = [];
  connected = false;
  isOpen = false;
  private listeners = new Set<(event: TransportEvent) => void>();
  private hello: (() => SessionStartFrame) | null = null;

  constructor(capabilities: Partial<TransportCapabilities> = {}) {
    this.capabilities = { signals: true, resume: true, ...capabilities };
  }

  connect({ hello, signal }: { hello: () => SessionStartFrame; signal: AbortSignal }): void {
    this.hello = hello;
    this.connected = true;
    signal.addEventListener('abort', () => {
      this.connected = false;
      this.isOpen = false;
    });
  }

  subscribe(listener: (event: TransportEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  send(frame: ClientFrame): boolean {
    if (!this.isOpen) return false;
    this.sent.push(frame);
    return true;
  }

  /** Opens the link: sends the client's session frame and returns it. */
  open(): SessionStartFrame {
    if (!this.hello) throw new Error('MockTransport.open() before client.start()');
    this.isOpen = true;
    this.emit({ type: 'status', status: 'open' });
    const hello = this.hello();
    this.sent.push(hello);
    return hello;
  }

  /** Drops the link, as a network failure would. */
  drop(retryInMs?: number): void {
    this.isOpen = false;
    this.emit({ type: 'status', status: 'closed', ...(retryInMs === undefined ? {} : { retryInMs }) });
  }

  /** Delivers a frame as if the server sent it (anything: tests feed malformed frames too). */
  receive(frame: ServerFrame | unknown): void {
    this.emit({ type: 'frame', data: frame });
  }

  emit(event: TransportEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** The command frames sent so far. */
  commands(): Extract<ClientFrame, { kind: 'command' }>[] {
    return this.sent.filter((f): f is Extract<ClientFrame, { kind: 'command' }> => f.kind === 'command');
  }
}
