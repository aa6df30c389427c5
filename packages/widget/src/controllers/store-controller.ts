import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { INITIAL_STATE, type ClientState, type XiaoerClient } from '@xiaoer/core';

/**
 * Connects a Lit element to a selection of a client's state. It subscribes through
 * `client.select(selector, …, equals)` while the host is connected, requests an update only when
 * the selected value changes, and follows the host to a new client when `getClient()` starts
 * returning another one. Without a client, `value` is the selection of the initial state.
 *
 * @example
 * class Unread extends LitElement {
 *   @property({ attribute: false }) client?: XiaoerClient;
 *   private timeline = new StoreController(this, () => this.client, selectTimeline);
 *   render() { return html`${this.timeline.value.length} messages`; }
 * }
 */
export class StoreController<T> implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly getClient: () => XiaoerClient | undefined;
  private readonly selector: (state: ClientState) => T;
  private readonly equals: (a: T, b: T) => boolean;
  private subscribedTo: XiaoerClient | undefined;
  private unsubscribe: (() => void) | undefined;
  private current: T | undefined;
  private connected = false;

  constructor(
    host: ReactiveControllerHost,
    getClient: () => XiaoerClient | undefined,
    selector: (state: ClientState) => T,
    equals: (a: T, b: T) => boolean = Object.is,
  ) {
    this.host = host;
    this.getClient = getClient;
    this.selector = selector;
    this.equals = equals;
    host.addController(this);
  }

  /** The selected value: as last notified while subscribed, computed on the spot otherwise. */
  get value(): T {
    const client = this.getClient();
    if (this.unsubscribe && client === this.subscribedTo) return this.current as T;
    return this.selector(client?.getSnapshot() ?? INITIAL_STATE);
  }

  hostConnected(): void {
    this.connected = true;
    this.sync();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.release();
  }

  /** Runs before every render: picks up a client that was swapped since the last one. */
  hostUpdate(): void {
    if (this.connected) this.sync();
  }

  private sync(): void {
    const client = this.getClient();
    if (client === this.subscribedTo && (this.unsubscribe || !client)) return;
    this.release();
    this.subscribedTo = client;
    if (!client) return;
    this.current = this.selector(client.getSnapshot());
    this.unsubscribe = client.select(
      this.selector,
      (value) => {
        this.current = value;
        this.host.requestUpdate();
      },
      this.equals,
    );
  }

  private release(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.subscribedTo = undefined;
    this.current = undefined;
  }
}
