// DOM helpers for browser tests (not part of the package's API).
import { render, type TemplateResult } from 'lit';
import type { XiaoerNavigateDetail } from '../events/navigate.js';

let container: HTMLElement | null = null;

/** Renders a template into a fresh container and waits for the first element to update. */
export async function mount<T extends HTMLElement>(template: TemplateResult): Promise<T> {
  unmount();
  container = document.createElement('div');
  document.body.append(container);
  render(template, container);
  const element = container.firstElementChild as T & { updateComplete?: Promise<unknown> };
  await element.updateComplete;
  return element;
}

export function unmount(): void {
  if (!container) return;
  render(null, container);
  container.remove();
  container = null;
}

/** Every `xiaoer-navigate` detail dispatched while `run` is in effect. */
export function recordNavigation(): { routes: XiaoerNavigateDetail[]; stop: () => void } {
  const routes: XiaoerNavigateDetail[] = [];
  const listener = (e: Event) => routes.push((e as CustomEvent<XiaoerNavigateDetail>).detail);
  document.addEventListener('xiaoer-navigate', listener);
  return { routes, stop: () => document.removeEventListener('xiaoer-navigate', listener) };
}

/** The focused element, looking through shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** A PNG of the given size drawn with noise, so it does not compress away (large ones exceed the upload limit). */
export async function noisyPng(width: number, height: number, name = 'photo.png'): Promise<File> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(width, height);
  let seed = 42;
  for (let i = 0; i < image.data.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    image.data[i] = i % 4 === 3 ? 255 : seed & 0xff;
  }
  context.putImageData(image, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new File([blob], name, { type: 'image/png' });
}

/** A small valid PNG. */
export function tinyPng(name = 'tiny.png'): Promise<File> {
  return noisyPng(8, 8, name);
}
