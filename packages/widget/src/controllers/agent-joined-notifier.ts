import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RoutingState, XiaoerClient } from '@xiaoer/core';

export interface AgentJoinedNotifierOptions {
  /** Whether the buyer can see the chat right now (panel open, page visible). */
  readonly isWatching: () => boolean;
  /** The notification's title and body for an agent's name, in the widget's language. */
  readonly text: (agentName: string) => { title: string; body: string };
}

const supported = () => typeof window !== 'undefined' && 'Notification' in window;

/**
 * Asks for permission to notify, once, at a moment the buyer chose (asking for a person): a
 * browser only lets a page ask from a user gesture, and asking on page load is rude.
 */
export function askNotificationPermission(): void {
  if (supported() && Notification.permission === 'default') void Notification.requestPermission().catch(() => {});
}

/**
 * Tells a buyer who is not looking that an agent picked up their chat: when the conversation goes
 * from the queue to an agent while the panel is closed or the tab is in the background, it shows a
 * system notification (only where the buyer granted it). In the page, the header and the "joined"
 * notice already say it.
 */
export class AgentJoinedNotifier implements ReactiveController {
  private subscribedTo: XiaoerClient | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getClient: () => XiaoerClient | undefined,
    private readonly options: AgentJoinedNotifierOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.follow();
  }

  hostUpdated(): void {
    if (this.getClient() !== this.subscribedTo) this.follow();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.subscribedTo = undefined;
  }

  private follow(): void {
    this.unsubscribe?.();
    const client = (this.subscribedTo = this.getClient());
    this.unsubscribe = client?.select((s) => s.routing, (routing, previous) => this.onRouting(routing, previous));
  }

  private onRouting(routing: RoutingState, previous: RoutingState): void {
    // Only a pick-up seen live: a routing restored from the local cache or a session start (previous
    // phase 'bot', the initial one) must not notify again on every reload.
    if (previous.phase !== 'queued' || routing.phase !== 'agent') return;
    if (this.options.isWatching() || !supported() || Notification.permission !== 'granted') return;
    const { title, body } = this.options.text(routing.agent.name);
    try {
      // One notification per pick-up; a second tab showing the same chat replaces it, not adds to it.
      new Notification(title, { body, tag: 'xiaoer-agent-joined' });
    } catch {
      // Some browsers (Android Chrome) only notify through a service worker; the page still shows it.
    }
  }
}
