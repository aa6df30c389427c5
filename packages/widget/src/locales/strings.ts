import type {
  AfterSalesReasonCode,
  CaseActor,
  CaseOutcome,
  CaseState,
  CaseType,
  ComplaintCategory,
  DeadlineKind,
  ExclusionCategory,
  OrderStatus,
  PhotoSlot,
  PostagePayer,
  RatingTag,
  TimelineType,
} from '@xiaoer/core';
import type { PhotoProblem } from '../internal/photo.js';

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
  /** Beside Resend: gives the unsent message up. */
  readonly discard: string;
  readonly showMore: string;
  readonly showLess: string;
  readonly suggestionsLabel: string;
  readonly typing: (name: string) => string;
  /** Day separators in the message list (other days are the weekday or the date, from Intl). */
  readonly today: string;
  readonly yesterday: string;
  /** "Jump to latest": the button shown when messages arrive while the buyer reads further up. */
  readonly newMessages: (count: number) => string;
  /** Above the first message while earlier ones load when the buyer scrolls to the top; and if that fails. */
  readonly olderLoading: string;
  readonly olderFailed: string;
  readonly olderRetry: string;
  /** The composer's accessible name. */
  readonly composerLabel: string;
  readonly composerPlaceholder: string;
  readonly send: string;
  readonly talkToPerson: string;
  /** The system notification when an agent picks up while the buyer is not looking. */
  readonly agentJoinedNotification: (agentName: string) => { readonly title: string; readonly body: string };
  readonly leaveQueue: string;
  readonly errorEmpty: string;
  readonly errorTooLong: (max: number) => string;
  readonly errorGeneric: string;

  /** Moving around the panel: quick actions, Back, the header menu. */
  readonly nav: {
    readonly back: string;
    readonly quickActions: string;
    readonly myOrders: string;
    readonly returns: string;
    readonly helpCenter: string;
    readonly sendPhoto: string;
    /** The header's menu button and menu. */
    readonly more: string;
    readonly downloadTranscript: string;
    readonly complaint: string;
    readonly transcriptFailed: string;
  };
  readonly common: {
    readonly loading: string;
    readonly retry: string;
    /** Data that needs the server while the device is offline. */
    readonly offlineLoad: string;
  };
  readonly orders: {
    readonly title: string;
    readonly listLabel: string;
    readonly empty: string;
    readonly loadMore: string;
    readonly loginTitle: string;
    readonly loginHint: string;
    readonly orderLabel: (id: string) => string;
    /** "T-shirt and 2 more". */
    readonly itemsSummary: (first: string, more: number) => string;
    readonly itemCount: (count: number) => string;
    readonly placedOn: (date: string) => string;
    readonly status: Readonly<Record<OrderStatus, string>>;
    readonly detailTitle: (id: string) => string;
    readonly itemsLabel: string;
    readonly quantity: (count: number) => string;
    readonly goods: string;
    readonly shipping: string;
    readonly discount: string;
    readonly paid: string;
    readonly refunded: string;
    readonly addressHeading: string;
    readonly logistics: string;
    readonly carrier: string;
    readonly waybill: string;
    readonly notShipped: string;
    readonly noEvents: string;
    /** The logistics `<ol>`'s accessible name. */
    readonly timelineLabel: string;
    readonly changeAddress: string;
    readonly cancelOrder: string;
    readonly cancelQuestion: string;
    readonly cancelRefundNote: (amount: string) => string;
    readonly cancelUnpaidNote: string;
    readonly confirmCancel: string;
    readonly keepOrder: string;
    readonly cancelled: string;
    readonly applyAfterSales: string;
    readonly sendToChat: string;
    readonly viewOrder: string;
  };
  readonly address: {
    readonly formTitle: string;
    readonly name: string;
    readonly phone: string;
    readonly region: string;
    readonly line1: string;
    readonly line2: string;
    readonly postalCode: string;
    readonly save: string;
    readonly saving: string;
    readonly keep: string;
    readonly saved: string;
    readonly required: string;
    readonly tooLong: (max: number) => string;
    readonly invalidPhone: string;
    readonly invalid: string;
  };
  /** Looking an order up without logging in. */
  readonly guest: {
    readonly heading: string;
    readonly intro: string;
    readonly orderNumber: string;
    readonly orderRequired: string;
    readonly sendCode: string;
    readonly codeSent: (orderId: string) => string;
    readonly code: string;
    readonly codeInvalid: string;
    readonly lookUp: string;
    readonly changeOrder: string;
  };
  readonly afterSales: {
    readonly title: string;
    readonly eligibilityHeading: string;
    readonly available: string;
    readonly notAvailable: string;
    /** "Refund only: available". */
    readonly verdict: (type: string, verdict: string) => string;
    readonly noneAllowed: string;
    readonly types: Readonly<Record<CaseType, string>>;
    /** Core's eligibility reason codes. */
    readonly eligibilityReasons: {
      readonly 'order-closed': string;
      readonly 'awaiting-payment': string;
      readonly 'nothing-left-to-refund': string;
      readonly 'in-transit': string;
      readonly 'not-delivered-yet': string;
      readonly 'delivery-time-unknown': string;
      readonly 'all-lines-excluded': string;
      readonly 'fast-refund-order-ineligible': string;
      readonly 'fast-refund-buyer-ineligible': string;
      readonly windowOpen: (date: string) => string;
      readonly windowClosed: (date: string) => string;
      readonly categoryExcluded: (category: string, items: string) => string;
      readonly fastRefundAboveLimit: (max: string) => string;
    };
    /** The no-reason return window, in one line. */
    readonly window: {
      readonly open: (days: number, until: string) => string;
      readonly closed: (days: number, closedAt: string) => string;
      readonly notStarted: (days: number, why: string) => string;
    };
    readonly categories: Readonly<Record<ExclusionCategory, string>>;
    readonly fastRefund: { readonly yes: (max: string) => string; readonly no: (why: string) => string };
    readonly insurance: { readonly covered: (max: string) => string; readonly none: string; readonly payerForReason: (payer: string) => string };
    readonly payers: Readonly<Record<PostagePayer, string>>;
    readonly typeLegend: string;
    readonly items: string;
    readonly bought: (count: number) => string;
    readonly quantityOf: (title: string) => string;
    readonly reason: string;
    readonly chooseReason: string;
    readonly reasons: Readonly<Record<AfterSalesReasonCode, string>>;
    readonly amount: (currency: string) => string;
    readonly amountHint: (max: string) => string;
    readonly description: string;
    readonly counter: (length: number, max: number) => string;
    readonly photos: string;
    readonly photoCount: (count: number, max: number) => string;
    readonly photosRequired: (slots: string) => string;
    readonly requiredMark: string;
    readonly slots: Readonly<Record<PhotoSlot, string>>;
    readonly addPhoto: string;
    /** The file input's accessible name for a slot. */
    readonly addPhotoTo: (slot: string) => string;
    readonly photoAlt: (slot: string, n: number) => string;
    readonly removePhoto: (slot: string, n: number) => string;
    readonly retryPhoto: (slot: string, n: number) => string;
    readonly remove: string;
    readonly retry: string;
    readonly upload: Readonly<Record<'uploading' | 'uploaded' | 'failed', string>>;
    readonly photosLimit: (max: number) => string;
    readonly photosPending: string;
    readonly photosFailed: string;
    readonly fixErrors: string;
    readonly submit: string;
    readonly submitting: string;
    /** Core's request error codes, and a few the form adds. */
    readonly errors: {
      readonly typeRequired: string;
      readonly invalid: string;
      readonly 'type-not-allowed': string;
      readonly 'unknown-reason': string;
      readonly 'reason-not-allowed': string;
      readonly 'no-lines': string;
      readonly 'unknown-line': string;
      readonly 'duplicate-line': string;
      readonly 'quantity-invalid': string;
      readonly 'amount-invalid': string;
      readonly 'currency-mismatch': string;
      readonly 'amount-not-positive': string;
      readonly 'amount-not-allowed': string;
      readonly 'unknown-slot': string;
      readonly 'duplicate-photo': string;
      readonly quantityAboveBought: (bought: number) => string;
      readonly windowClosedOn: (date: string) => string;
      readonly windowUnknown: string;
      readonly excluded: (categories: string) => string;
      readonly amountAbove: (max: string) => string;
      readonly descriptionTooLong: (max: number) => string;
      readonly evidenceMissing: (slot: string) => string;
    };
  };
  readonly cases: {
    readonly title: string;
    readonly listLabel: string;
    readonly empty: string;
    readonly loginHint: string;
    readonly howToApply: string;
    readonly caseLabel: (id: string) => string;
    readonly view: string;
    readonly states: Readonly<Record<CaseState, string>>;
    readonly outcomes: Readonly<Record<CaseOutcome, string>>;
    readonly stateLabel: string;
    /** What each deadline means, as a label the date follows (punctuation included). */
    readonly deadlines: Readonly<Record<DeadlineKind, string>>;
    readonly daysLeft: (days: number) => string;
    readonly hoursLeft: (hours: number) => string;
    readonly lessThanHour: string;
    readonly deadlinePassed: string;
    /** Label the merchant's own reason follows (punctuation included). */
    readonly rejectedBecause: string;
    readonly requestHeading: string;
    readonly caseNumber: string;
    readonly order: string;
    readonly requested: string;
    readonly refund: string;
    readonly refundPaid: (amount: string, date: string) => string;
    readonly fast: string;
    readonly fastPromise: string;
    readonly postage: string;
    readonly returnParcel: string;
    readonly replacementParcel: string;
    readonly timelineHeading: string;
    /** The case timeline `<ol>`'s accessible name. */
    readonly timelineLabel: string;
    readonly timeline: Readonly<Record<TimelineType, string>>;
    readonly actors: Readonly<Record<CaseActor, string>>;
    readonly shipReturn: string;
    readonly shipTitle: string;
    readonly carrier: string;
    readonly trackingNumber: string;
    readonly carrierRequired: string;
    readonly trackingRequired: string;
    readonly trackingInvalid: string;
    readonly submitShipment: string;
    readonly notNow: string;
    readonly shipped: string;
    readonly withdraw: string;
    readonly withdrawQuestion: string;
    readonly confirmWithdraw: string;
    readonly keepRequest: string;
    readonly withdrawn: string;
    readonly escalate: string;
    readonly escalated: string;
    readonly confirmReplacement: string;
    readonly confirmed: string;
  };
  readonly rating: {
    readonly title: string;
    readonly scoreLabel: string;
    /** Each star's accessible name. */
    readonly stars: (n: number) => string;
    readonly scoreRequired: string;
    readonly tagsLabel: string;
    readonly tags: Readonly<Record<RatingTag, string>>;
    readonly comment: string;
    readonly submit: string;
    readonly thanks: string;
    readonly complaint: string;
  };
  readonly complaint: {
    readonly title: string;
    readonly category: string;
    readonly chooseCategory: string;
    readonly categories: Readonly<Record<ComplaintCategory, string>>;
    readonly categoryRequired: string;
    readonly text: string;
    readonly textRequired: string;
    readonly order: string;
    readonly send: string;
    readonly sentTitle: string;
    readonly sentBody: string;
  };
  readonly help: {
    readonly title: string;
    readonly searchLabel: string;
    readonly placeholder: string;
    readonly popular: string;
    readonly resultsLabel: string;
    readonly resultCount: (count: number) => string;
    readonly noMatch: string;
  };
  readonly leave: {
    readonly title: string;
    readonly intro: string;
    readonly contact: string;
    readonly contactHint: string;
    readonly contactRequired: string;
    readonly contactInvalid: string;
    readonly text: string;
    readonly textRequired: string;
    readonly textTooLong: (max: number) => string;
    readonly send: string;
    readonly sentTitle: string;
    readonly sentBody: (contact: string) => string;
    readonly backToChat: string;
  };
  /** Photos, cards and feedback in the conversation. */
  readonly media: {
    readonly photo: string;
    readonly photoPending: string;
    readonly viewerLabel: string;
    readonly closePhoto: string;
    readonly wasHelpful: string;
    readonly helpful: string;
    readonly notHelpful: string;
    readonly viewProduct: string;
    /** The composer's photos waiting for Send (picked, pasted or dropped). */
    readonly pendingPhotos: string;
    readonly pendingPhoto: (n: number) => string;
    readonly preparingPhoto: (n: number) => string;
    readonly removePhoto: (n: number) => string;
    readonly pendingLimit: (max: number) => string;
    /** The emoji button and the picker it opens. */
    readonly emoji: string;
    readonly emojiPicker: string;
  };
  /** Failures, in the buyer's words. */
  readonly problems: {
    readonly generic: string;
    readonly offline: string;
    readonly timeout: string;
    readonly notFound: string;
    readonly unauthorized: string;
    readonly rateLimited: string;
    readonly invalidTransition: string;
    /** The shop refused, with its own message (shown as text). */
    readonly refused: (message: string) => string;
    /** Machine reasons from core rules and servers (`already-shipped`…). */
    readonly reasons: Readonly<Record<string, string>>;
    readonly photo: Readonly<Record<PhotoProblem, string>>;
  };
}
