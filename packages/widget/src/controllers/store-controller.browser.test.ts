import { afterEach, describe, expect, it } from 'vitest';
import { LitElement, html } from 'lit';
import { createClient, type ClientState, type XiaoerClient } from '@xiaoer/core';
import { CONVERSATION_ID, MockTransport, readyFrame, routingFrame } from '@xiaoer/core/test';
import { StoreController } from './store-controller.js';

class RoutingProbe extends LitElement {
  static override properties = { client: { attribute: false } };
  client?: XiaoerClient;
  renders = 0;
  readonly phase = new StoreController(this, () => this.client, (s: ClientState) => s.routing.phase);
  override render() {
    this.renders++;
    return html`${this.phase.value}`;
  }
}
customElements.define('routing-probe', RoutingProbe);

async function online() {
  const transport = new MockTransport();
  const client = createClient({ transport });
  await client.start();
  transport.open();
  transport.receive(readyFrame());
  return { transport, client };
}

const settle = async (probe: RoutingProbe) => {
  await new Promise((r) => setTimeout(r, 0)); // the store notifies in a microtask
  await probe.updateComplete;
};

const typing = (on: boolean) => ({ v: 1, kind: 'signal', conversationId: CONVERSATION_ID, signal: { type: 'typing', on, by: { role: 'agent' } } });

afterEach(() => document.querySelectorAll('routing-probe').forEach((e) => e.remove()));

describe('StoreController', () => {
  it('renders the selection and re-renders only when it changes', async () => {
    const { transport, client } = await online();
    const probe = document.createElement('routing-probe') as RoutingProbe;
    probe.client = client;
    document.body.append(probe);
    await settle(probe);
    expect(probe.shadowRoot!.textContent).toBe('bot');
    const renders = probe.renders;

    transport.receive(typing(true)); // state changes, the selection does not
    await settle(probe);
    expect(client.getSnapshot().typing).not.toBeNull();
    expect(probe.renders).toBe(renders);

    transport.receive(routingFrame(1, { phase: 'queued', position: 1, etaSeconds: 30 }));
    await settle(probe);
    expect(probe.shadowRoot!.textContent).toBe('queued');
    expect(probe.renders).toBe(renders + 1);
  });

  it('unsubscribes while disconnected and catches up on reconnection', async () => {
    const { transport, client } = await online();
    const probe = document.createElement('routing-probe') as RoutingProbe;
    probe.client = client;
    document.body.append(probe);
    await settle(probe);
    probe.remove();
    const renders = probe.renders;

    transport.receive(routingFrame(1, { phase: 'queued', position: 1, etaSeconds: 30 }));
    await settle(probe);
    expect(probe.renders).toBe(renders); // nobody asked it to update
    expect(probe.phase.value).toBe('queued'); // but the value is never stale

    document.body.append(probe);
    transport.receive(routingFrame(2, { phase: 'agent', agent: { id: 'a', name: 'Lin Xiao' } }));
    await settle(probe);
    expect(probe.shadowRoot!.textContent).toBe('agent');
  });

  it('follows the host to another client, and reads the initial state without one', async () => {
    const probe = document.createElement('routing-probe') as RoutingProbe;
    document.body.append(probe);
    await settle(probe);
    expect(probe.shadowRoot!.textContent).toBe('bot');

    const first = await online();
    const second = await online();
    second.transport.receive(routingFrame(1, { phase: 'offline', reason: 'no-agent' }));
    probe.client = first.client;
    await settle(probe);
    probe.client = second.client;
    await settle(probe);
    expect(probe.shadowRoot!.textContent).toBe('offline');

    const renders = probe.renders;
    first.transport.receive(routingFrame(1, { phase: 'queued', position: 1, etaSeconds: 30 }));
    await settle(probe);
    expect(probe.renders).toBe(renders); // the old client no longer reaches it
  });
});
