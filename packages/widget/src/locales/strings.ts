/**
 * Every string the widget shows or announces. A locale is one object of this shape; anything that
 * depends on a number or a name is a function, so word order stays the translator's choice.
 */
export interface XiaoerStrings {
  /** Launcher's accessible name while the panel is closed. */
  readonly openChat: string;
  /** Launcher's accessible name while the panel is open. */
  readonly closeChat: string;
  /** The panel's own close button (the only one visible when the panel is full-screen). */
  readonly minimizeChat: string;
  /** The unread badge's accessible text. */
  readonly unread: (count: number) => string;
  /** The dialog's accessible name. */
  readonly panelLabel: string;
  /** Display name of the bot, in the header and on its messages. */
  readonly botName: string;
  /** Display name of an agent who sent no name. */
  readonly agentFallbackName: string;
  /** Display name of the buyer on their own messages. */
  readonly you: string;
  /** Display name on system notices. */
  readonly systemName: string;
  readonly queued: (position: number, minutes: number) => string;
  readonly chatEnded: string;
  readonly offlineNoAgent: string;
  readonly offlineClosedHours: string;
  readonly bannerOffline: string;
  readonly bannerReconnecting: string;
  /** The message list's accessible name. */
  readonly messagesLabel: string;
  readonly sending: string;
  readonly sent: string;
  readonly notSent: string;
  readonly resend: string;
  readonly showMore: string;
  readonly showLess: string;
  readonly suggestionsLabel: string;
  readonly typing: (name: string) => string;
  /** The composer's accessible name. */
  readonly composerLabel: string;
  readonly composerPlaceholder: string;
  readonly send: string;
  readonly talkToPerson: string;
  readonly leaveQueue: string;
  readonly errorEmpty: string;
  readonly errorTooLong: (max: number) => string;
  readonly errorGeneric: string;
}
