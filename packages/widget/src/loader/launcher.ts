// The loader's stand-in launcher: the same round button as <xiaoer-chat>'s, in the same place with
// the same `--xiaoer-*` tokens, drawn with plain DOM in its own shadow root (a page's CSS cannot
// reach it) before Lit or the widget have loaded. Keep the rules below in step with the
// `.launcher` rules of components/chat/chat.styles.ts and the dark theme of chat-theme.styles.ts.

/** The launcher's accessible name, as the real one says it (locales/*.ts `openChat`). */
export const OPEN_CHAT = { en: 'Open chat', 'zh-CN': '打开客服' } as const;

/** Same path as the real launcher's chat icon. */
const ICON = 'M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z';

const CSS =
  ':host{all:initial!important;display:contents!important}' +
  'button{position:fixed;right:calc(var(--xiaoer-offset,20px) + env(safe-area-inset-right,0px));bottom:calc(var(--xiaoer-offset,20px) + env(safe-area-inset-bottom,0px));' +
  'z-index:var(--xiaoer-z-index,2147483000);display:inline-flex;align-items:center;justify-content:center;box-sizing:border-box;' +
  'width:var(--xiaoer-launcher-size,56px);height:var(--xiaoer-launcher-size,56px);margin:0;padding:0;border:none;cursor:pointer;' +
  'border-radius:var(--xiaoer-launcher-radius,50%);background:var(--xiaoer-launcher-bg,var(--xiaoer-color-primary,#c2410c));' +
  'color:var(--xiaoer-launcher-color,var(--xiaoer-color-on-primary,#fff));' +
  'box-shadow:var(--xiaoer-launcher-shadow,var(--xiaoer-shadow,0 4px 16px rgb(0 0 0/.24)));transition:transform var(--xiaoer-transition-duration,160ms) ease}' +
  'button:hover{transform:scale(1.05)}' +
  ':focus-visible{outline:var(--xiaoer-focus-ring-width,2px) solid var(--xiaoer-focus-ring-color,var(--xiaoer-color-focus,#2563eb));outline-offset:var(--xiaoer-focus-ring-offset,2px)}' +
  'svg{width:28px;height:28px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}' +
  '@media (prefers-color-scheme:dark){button{background:var(--xiaoer-launcher-bg,var(--xiaoer-dark-color-primary,#f97316));color:var(--xiaoer-launcher-color,var(--xiaoer-dark-color-on-primary,#111113))}}' +
  '@media (prefers-reduced-motion:reduce){button{transition:none}button:hover{transform:none}}' +
  '@media (forced-colors:active){button{border:1px solid CanvasText}}';

/** Draws the stand-in into `container`; returns its host element (its button is in the open shadow root). */
export function drawLauncher(container: Element, lang: keyof typeof OPEN_CHAT): HTMLElement {
  const host = document.createElement('xiaoer-loader');
  const root = host.attachShadow({ mode: 'open' });
  // A constructed sheet, not a <style>: `style-src 'self'` pages forbid inline styles.
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(Object.assign(document.createElement('style'), { textContent: CSS }));
  }
  const button = document.createElement('button');
  button.setAttribute('part', 'launcher');
  button.setAttribute('lang', lang);
  button.setAttribute('aria-label', OPEN_CHAT[lang]);
  button.setAttribute('aria-expanded', 'false');
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICON);
  svg.append(path);
  button.append(svg);
  root.append(button);
  container.append(host);
  return host;
}
