import { css } from 'lit';

/**
 * The dark scheme: the theme tokens get dark values when the buyer's system prefers dark (unless
 * the element says `theme="light"`), or always with `theme="dark"`. They are set on the host, so a
 * shop's own `xiaoer-chat { --xiaoer-color-… }` rules still win (page styles beat `:host`), and
 * every view inside inherits them.
 */
const dark = css`
  --xiaoer-color-primary: var(--xiaoer-dark-color-primary, #f97316);
  --xiaoer-color-on-primary: var(--xiaoer-dark-color-on-primary, #111113);
  --xiaoer-color-surface: var(--xiaoer-dark-color-surface, #18181b);
  --xiaoer-color-surface-alt: var(--xiaoer-dark-color-surface-alt, #27272a);
  --xiaoer-color-text: var(--xiaoer-dark-color-text, #f4f4f5);
  --xiaoer-color-text-muted: var(--xiaoer-dark-color-text-muted, #a1a1aa);
  --xiaoer-color-border: var(--xiaoer-dark-color-border, #3f3f46);
  --xiaoer-color-danger: var(--xiaoer-dark-color-danger, #f87171);
  --xiaoer-color-focus: var(--xiaoer-dark-color-focus, #60a5fa);
  color-scheme: dark;
`;

export const chatThemeStyles = css`
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
`;
