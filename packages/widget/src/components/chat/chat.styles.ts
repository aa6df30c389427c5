import { css } from 'lit';

/**
 * Two layers of tokens: a component token (`--xiaoer-launcher-bg`) falls back to a theme token
 * (`--xiaoer-color-primary`), which falls back to the built-in value. Themes set the second layer,
 * one-off tweaks the first; `::part()` covers the rest.
 */
export const chatStyles = css`
  :host {
    --_offset: var(--xiaoer-offset, 20px);
    --_launcher-size: var(--xiaoer-launcher-size, 56px);
    --_primary: var(--xiaoer-color-primary, #c2410c);
    --_on-primary: var(--xiaoer-color-on-primary, #ffffff);
    --_surface: var(--xiaoer-color-surface, #ffffff);
    --_surface-alt: var(--xiaoer-color-surface-alt, #f4f4f5);
    --_text: var(--xiaoer-color-text, #18181b);
    --_muted: var(--xiaoer-color-text-muted, #52525b);
    --_border: var(--xiaoer-color-border, #d4d4d8);
    --_danger: var(--xiaoer-color-danger, #b91c1c);
    --_radius: var(--xiaoer-radius, 12px);
    --_z: var(--xiaoer-z-index, 2147483000);
    --_motion: var(--xiaoer-transition-duration, 160ms);

    display: contents;
  }

  button,
  textarea {
    font: inherit;
    color: inherit;
    letter-spacing: inherit;
  }

  button {
    cursor: pointer;
    margin: 0;
  }

  button:disabled {
    cursor: default;
    opacity: 0.6;
  }

  /* ---------------------------------------------------------------- launcher */

  .launcher {
    position: fixed;
    right: calc(var(--_offset) + env(safe-area-inset-right, 0px));
    bottom: calc(var(--_offset) + env(safe-area-inset-bottom, 0px));
    z-index: var(--_z);
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: var(--_launcher-size);
    height: var(--_launcher-size);
    padding: 0;
    border: none;
    border-radius: var(--xiaoer-launcher-radius, 50%);
    background: var(--xiaoer-launcher-bg, var(--_primary));
    color: var(--xiaoer-launcher-color, var(--_on-primary));
    box-shadow: var(--xiaoer-launcher-shadow, var(--xiaoer-shadow, 0 4px 16px rgb(0 0 0 / 0.24)));
    transition: transform var(--_motion) ease;
  }

  .launcher:hover {
    transform: scale(1.05);
  }

  .launcher svg {
    width: 28px;
    height: 28px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }

  .badge {
    position: absolute;
    top: -4px;
    right: -4px;
    min-width: 20px;
    height: 20px;
    padding: 0 6px;
    border-radius: 10px;
    background: var(--xiaoer-badge-bg, var(--_danger));
    color: var(--xiaoer-badge-color, #ffffff);
    font-size: 12px;
    font-weight: 600;
    line-height: 20px;
    text-align: center;
  }

  .badge::before {
    content: attr(data-count);
  }

  /* ---------------------------------------------------------------- panel */

  .panel {
    position: fixed;
    right: calc(var(--_offset) + env(safe-area-inset-right, 0px));
    bottom: calc(var(--_offset) * 2 + var(--_launcher-size) + env(safe-area-inset-bottom, 0px));
    z-index: var(--_z);
    display: flex;
    flex-direction: column;
    width: min(var(--xiaoer-panel-width, 380px), calc(100vw - var(--_offset) * 2));
    height: min(var(--xiaoer-panel-height, 600px), calc(100vh - var(--_offset) * 3 - var(--_launcher-size)));
    height: min(var(--xiaoer-panel-height, 600px), calc(100dvh - var(--_offset) * 3 - var(--_launcher-size)));
    overflow: hidden;
    border: 1px solid var(--xiaoer-panel-border-color, var(--_border));
    border-radius: var(--xiaoer-panel-radius, var(--_radius));
    background: var(--xiaoer-panel-bg, var(--_surface));
    color: var(--_text);
    box-shadow: var(--xiaoer-panel-shadow, var(--xiaoer-shadow, 0 8px 32px rgb(0 0 0 / 0.2)));
    animation: xiaoer-panel-in var(--_motion) ease-out;
  }

  @keyframes xiaoer-panel-in {
    from {
      opacity: 0;
      transform: translateY(8px);
    }
  }

  /* Phones: the panel takes the whole screen, clear of notches and the home indicator. */
  @media (max-width: 640px) {
    /* Sized to the visual viewport (see VisualViewportController) so an on-screen keyboard
       never covers the composer; 100% (the layout viewport) until the first reading. */
    .panel {
      inset: var(--_vv-top, 0px) 0 auto 0;
      width: auto;
      height: var(--_vv-height, 100%);
      border: none;
      border-radius: 0;
      padding: env(safe-area-inset-top, 0px) env(safe-area-inset-right, 0px) env(safe-area-inset-bottom, 0px)
        env(safe-area-inset-left, 0px);
    }

    :host([open]) .launcher {
      display: none;
    }
  }

  /* ---------------------------------------------------------------- header */

  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 12px 12px 12px 16px;
    background: var(--xiaoer-header-bg, var(--_primary));
    color: var(--xiaoer-header-color, var(--_on-primary));
  }

  .title {
    flex: 1;
    min-width: 0;
    margin: 0;
    font-size: 16px;
    font-weight: 600;
    overflow-wrap: anywhere;
  }

  .handoff {
    flex: none;
    padding: 4px 12px;
    border: 1px solid currentColor;
    border-radius: 999px;
    background: transparent;
    font-size: 13px;
  }

  .icon-button {
    flex: none;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: 32px;
    height: 32px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: transparent;
  }

  .icon-button svg {
    width: 20px;
    height: 20px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }

  .menu-button svg {
    fill: currentColor;
    stroke: none;
  }

  .menu-wrap {
    position: relative;
    flex: none;
  }

  .menu {
    position: absolute;
    right: 0;
    top: calc(100% + 4px);
    z-index: 1;
    min-width: 180px;
    margin: 0;
    padding: 4px 0;
    list-style: none;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.16);
  }

  .menu button {
    display: block;
    width: 100%;
    padding: 8px 14px;
    border: none;
    background: none;
    text-align: start;
  }

  .menu button:hover,
  .menu button:focus {
    background: var(--_surface-alt);
    outline: none;
  }

  .header :focus-visible {
    outline-color: var(--xiaoer-header-color, var(--_on-primary));
  }

  /* ---------------------------------------------------------------- banner, typing */

  .banner {
    padding: 6px 16px;
    background: var(--xiaoer-banner-bg, #fef3c7);
    color: var(--xiaoer-banner-color, #78350f);
    font-size: 13px;
  }

  .typing {
    padding: 0 16px 4px;
    color: var(--_muted);
    font-size: 12px;
    min-height: 22px;
  }

  .banner:empty,
  .typing:empty {
    display: none;
  }

  /* ---------------------------------------------------------------- messages */

  .messages {
    flex: 1;
    margin: 0;
    padding: 12px 12px 4px;
    overflow-y: auto;
    overscroll-behavior: contain;
    /* The message window keeps the position itself (message-window.ts); two corrections would fight. */
    overflow-anchor: none;
    list-style: none;
    background: var(--xiaoer-messages-bg, var(--_surface));
  }

  .message-list {
    /* A flow root holds the last row's margin, so the window measures every row the same way. */
    display: flow-root;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .messages:focus-visible {
    outline-offset: -2px;
  }

  /* Earlier messages loading (or not) above the first row: part of the scroller, not of the list. */
  .older {
    margin: 0 0 12px;
    color: var(--_muted);
    font-size: 12px;
    text-align: center;
  }

  .older .older-retry {
    display: inline;
    margin: 0 0 0 4px;
  }

  .day-separator {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0 0 12px;
    color: var(--_muted);
    font-size: 12px;
  }

  .day-separator::before,
  .day-separator::after {
    content: '';
    flex: 1;
    border-top: 1px solid var(--_border);
  }

  /* "Jump to latest" floats over the bottom of the list without taking room from it. */
  .jump-wrap {
    position: relative;
    height: 0;
  }

  .jump {
    position: absolute;
    bottom: 8px;
    left: 50%;
    transform: translateX(-50%);
    padding: 6px 14px;
    border: 0;
    border-radius: 999px;
    background: var(--xiaoer-jump-bg, var(--_primary));
    color: var(--xiaoer-jump-color, var(--_on-primary));
    font: inherit;
    font-size: 13px;
    white-space: nowrap;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
    cursor: pointer;
  }

  .message {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    margin: 0 0 12px;
    max-width: 100%;
  }

  .message.buyer {
    align-items: flex-end;
  }

  .message.system {
    align-items: center;
    text-align: center;
  }

  .author {
    margin: 0 4px 2px;
    color: var(--_muted);
    font-size: 12px;
  }

  .bubble.bare {
    padding: 0;
    background: transparent;
  }

  .buyer .bubble.bare {
    color: var(--_text);
  }

  .bubble {
    max-width: 85%;
    padding: 8px 12px;
    border-radius: var(--xiaoer-bubble-radius, var(--_radius));
    background: var(--xiaoer-bubble-bg, var(--_surface-alt));
    color: var(--xiaoer-bubble-color, var(--_text));
    overflow-wrap: anywhere;
  }

  .buyer .bubble {
    background: var(--xiaoer-bubble-buyer-bg, var(--_primary));
    color: var(--xiaoer-bubble-buyer-color, var(--_on-primary));
  }

  .system .bubble {
    background: var(--xiaoer-notice-bg, transparent);
    color: var(--xiaoer-notice-color, var(--_muted));
    font-size: 12px;
  }

  .text {
    margin: 0;
    /* The buyer's line breaks are kept; a long unbroken word wraps anywhere instead of widening the panel. */
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .text a {
    color: inherit;
    text-decoration: underline;
    text-underline-offset: 2px;
  }

  .show-more {
    display: block;
    margin-top: 4px;
    padding: 0;
    border: none;
    background: none;
    text-decoration: underline;
  }

  .meta {
    display: flex;
    gap: 6px;
    align-items: center;
    margin: 2px 4px 0;
    color: var(--_muted);
    font-size: 11px;
  }

  .status.failed {
    color: var(--_danger);
    font-weight: 600;
  }

  .resend {
    padding: 0 6px;
    border: 1px solid var(--_danger);
    border-radius: 4px;
    background: transparent;
    color: var(--_danger);
    font-size: 11px;
  }

  .discard {
    border-color: var(--_border);
    color: var(--_muted);
  }

  .suggestions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin: 6px 0 0;
    padding: 0;
    list-style: none;
  }

  .suggestion {
    padding: 4px 12px;
    border: 1px solid var(--xiaoer-chip-border-color, var(--_primary));
    border-radius: 999px;
    background: var(--xiaoer-chip-bg, var(--_surface));
    color: var(--xiaoer-chip-color, var(--_primary));
    font-size: 13px;
    overflow-wrap: anywhere;
    text-align: start;
  }

  /* ---------------------------------------------------------------- rich bodies */

  .image-button {
    display: block;
    padding: 0;
    border: none;
    border-radius: var(--_radius);
    background: none;
    cursor: zoom-in;
  }

  .image {
    display: block;
    max-width: min(240px, 100%);
    max-height: 240px;
    border-radius: var(--_radius);
    object-fit: cover;
  }

  .rich-card {
    display: flex;
    gap: 10px;
    padding: 10px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--xiaoer-card-bg, var(--_surface));
    color: var(--_text);
    text-align: start;
  }

  .card-image {
    flex: none;
    width: 56px;
    height: 56px;
    border-radius: 6px;
    object-fit: cover;
  }

  .card-body {
    min-width: 0;
  }

  .card-title,
  .card-meta {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .card-title {
    font-weight: 600;
  }

  .card-meta {
    color: var(--_muted);
    font-size: 12px;
  }

  .card-action {
    display: inline-block;
    margin-top: 6px;
    padding: 2px 10px;
    border: 1px solid currentColor;
    border-radius: 999px;
    background: transparent;
    color: var(--_primary);
    font-size: 12px;
    text-decoration: none;
  }

  .feedback {
    display: flex;
    align-items: center;
    gap: 4px;
    margin-top: 6px;
    color: var(--_muted);
    font-size: 12px;
  }

  .feedback-button {
    padding: 0 6px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    font-size: 13px;
  }

  .feedback-button[aria-pressed='true'] {
    border-color: var(--_primary);
    background: var(--_primary);
  }

  .card-row {
    align-items: stretch;
  }

  .viewer {
    max-width: 92vw;
    max-height: 92vh;
    padding: 8px;
    border: none;
    border-radius: var(--_radius);
    background: var(--_surface);
    text-align: end;
  }

  .viewer::backdrop {
    background: rgb(0 0 0 / 0.7);
  }

  .viewer-image {
    display: block;
    max-width: 88vw;
    max-height: 80vh;
    margin-top: 8px;
    object-fit: contain;
  }

  .viewer-close {
    padding: 4px 12px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_surface);
  }

  /* ---------------------------------------------------------------- views */

  .view {
    display: flex;
    flex: 1;
    flex-direction: column;
    min-height: 0;
  }

  .view-bar {
    padding: 6px 8px 0;
    border-bottom: 1px solid var(--_border);
  }

  .back {
    padding: 4px 8px 6px;
    border: none;
    background: none;
    color: var(--_primary);
    font-weight: 600;
  }

  .view-body {
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
  }

  /* ---------------------------------------------------------------- composer */

  .composer {
    position: relative;
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 8px;
    padding: 8px 12px 12px;
    border-top: 1px solid var(--_border);
    background: var(--xiaoer-composer-bg, var(--_surface));
  }

  .input {
    flex: 1;
    min-width: 0;
    min-height: 40px;
    max-height: 120px;
    padding: 8px 10px;
    resize: none;
    field-sizing: content;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--xiaoer-input-bg, var(--_surface));
    line-height: 1.4;
    overflow-wrap: anywhere;
  }

  .input[aria-invalid='true'] {
    border-color: var(--_danger);
  }

  /* Photos waiting for Send: a row of thumbnails above the box, each with its Remove button. */
  .pending-photos {
    display: flex;
    flex-basis: 100%;
    gap: 8px;
    margin: 0;
    /* Room for the Remove buttons that stick out of each thumbnail's corner (the row scrolls, so clips). */
    padding: 6px 6px 0 0;
    overflow-x: auto;
    list-style: none;
  }

  .pending-photo {
    position: relative;
    flex: none;
    width: 56px;
    height: 56px;
  }

  .pending-photo img {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
    border: 1px solid var(--_border);
    border-radius: 6px;
  }

  .pending-photo.preparing img {
    opacity: 0.5;
  }

  .remove-photo {
    position: absolute;
    top: -6px;
    right: -6px;
    width: 24px;
    height: 24px;
    border-radius: 50%;
    background: var(--_text);
    color: var(--_surface);
  }

  .remove-photo svg {
    width: 14px;
    height: 14px;
  }

  /* The emoji picker opens above the composer, across its width (the composer is its containing block). */
  .emoji-popover {
    position: absolute;
    bottom: calc(100% + 4px);
    left: 8px;
    z-index: 2;
    max-width: calc(100% - 16px);
    padding: 6px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_surface);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.16);
  }

  .emoji-wrap {
    align-self: center;
    display: flex;
  }

  .emoji-button,
  .photo-button {
    align-self: center;
    color: var(--_muted);
  }

  .send {
    flex: none;
    height: 40px;
    padding: 0 16px;
    border: none;
    border-radius: 8px;
    background: var(--xiaoer-send-bg, var(--_primary));
    color: var(--xiaoer-send-color, var(--_on-primary));
    font-weight: 600;
  }

  .error {
    flex-basis: 100%;
    margin: 0;
    color: var(--_danger);
    font-size: 12px;
  }

  .error:empty {
    display: none;
  }

  .quick-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin: 0;
    padding: 0 12px 10px;
    list-style: none;
    background: var(--xiaoer-composer-bg, var(--_surface));
  }

  .quick-action {
    flex: none;
    padding: 3px 10px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--xiaoer-chip-bg, var(--_surface));
    font-size: 12px;
    white-space: nowrap;
  }

  @media (prefers-reduced-motion: reduce) {
    .launcher,
    .panel {
      animation: none;
      transition: none;
    }

    .launcher:hover {
      transform: none;
    }

    .messages {
      scroll-behavior: auto;
    }
  }

  @media (forced-colors: active) {
    .launcher,
    .bubble,
    .badge {
      border: 1px solid CanvasText;
    }
  }
`;
