import { css } from 'lit';

/**
 * Styles every Xiaoer element starts from. `all: initial` cuts the inheritance chain from the host
 * page (a storefront's `body { line-height: 3; text-transform: uppercase }` must not leak in);
 * custom properties still inherit, so `--xiaoer-*` tokens set anywhere above keep working.
 * A page rule with `!important` on the host element (`* { all: unset !important }`) beats any
 * `:host` rule, so the inherited properties are set again on the shadow root's top-level
 * elements, where no page selector reaches.
 * Sizes are in px, never rem: the page owns the root font size.
 */
export const hostStyles = css`
  :host {
    all: initial;
    display: block;
  }

  :host,
  :host > * {
    box-sizing: border-box;
    color: var(--xiaoer-color-text, #18181b);
    font-family: var(
      --xiaoer-font-family,
      system-ui,
      -apple-system,
      'Segoe UI',
      'PingFang SC',
      'Hiragino Sans GB',
      'Microsoft YaHei',
      'Noto Sans CJK SC',
      sans-serif
    );
    font-size: var(--xiaoer-font-size, 14px);
    font-style: normal;
    font-weight: 400;
    font-variant: normal;
    line-height: 1.5;
    letter-spacing: normal;
    word-spacing: normal;
    text-align: start;
    text-indent: 0;
    text-shadow: none;
    text-transform: none;
    white-space: normal;
    visibility: visible;
    cursor: auto;
    -webkit-text-size-adjust: 100%;
    text-size-adjust: 100%;
  }

  :host([hidden]),
  [hidden] {
    display: none !important;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  :focus-visible {
    outline: var(--xiaoer-focus-ring-width, 2px) solid var(--xiaoer-focus-ring-color, var(--xiaoer-color-focus, #2563eb));
    outline-offset: var(--xiaoer-focus-ring-offset, 2px);
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px !important;
    height: 1px !important;
    margin: -1px !important;
    padding: 0 !important;
    overflow: hidden !important;
    clip: rect(0 0 0 0) !important;
    clip-path: inset(50%) !important;
    white-space: nowrap !important;
    border: 0 !important;
  }
`;
