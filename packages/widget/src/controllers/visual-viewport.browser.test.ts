import { afterEach, describe, expect, it } from 'vitest';
import { LitElement } from 'lit';
import { VisualViewportController, type ViewportLike } from './visual-viewport.js';

/** A visual viewport the test moves by hand, as an on-screen keyboard would. */
class FakeViewport extends EventTarget implements ViewportLike {
  height = 800;
  offsetTop = 0;
  listeners = 0;
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>) {
    this.listeners++;
    super.addEventListener(...args);
  }
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>) {
    this.listeners--;
    super.removeEventListener(...args);
  }
  keyboard(height: number, offsetTop = 0) {
    this.height = height;
    this.offsetTop = offsetTop;
    this.dispatchEvent(new Event('resize'));
  }
}

const viewport = new FakeViewport();

class ViewportProbe extends LitElement {
  static override properties = { open: { type: Boolean } };
  open = false;
  phone = true;
  readonly fit = new VisualViewportController(this, () => this.open, () => viewport, () => this.phone);
}
customElements.define('viewport-probe', ViewportProbe);

async function probe(open: boolean) {
  const element = document.createElement('viewport-probe') as ViewportProbe;
  element.open = open;
  document.body.append(element);
  await element.updateComplete;
  return element;
}

const vars = (element: HTMLElement) => [element.style.getPropertyValue('--_vv-height'), element.style.getPropertyValue('--_vv-top')];

afterEach(() => {
  document.querySelectorAll('viewport-probe').forEach((e) => e.remove());
  viewport.keyboard(800, 0);
});

describe('VisualViewportController', () => {
  it('writes nothing while the panel is closed', async () => {
    const element = await probe(false);
    viewport.keyboard(500);
    expect(vars(element)).toEqual(['', '']);
    expect(viewport.listeners).toBe(0);
  });

  it('follows the visual viewport while open, as a keyboard opens and the page scrolls', async () => {
    const element = await probe(true);
    expect(vars(element)).toEqual(['800px', '0px']);
    viewport.keyboard(480.4, 0);
    expect(vars(element)).toEqual(['480px', '0px']);
    viewport.offsetTop = 120;
    viewport.dispatchEvent(new Event('scroll'));
    expect(vars(element)).toEqual(['480px', '120px']);
  });

  it('leaves a desktop-sized panel alone', async () => {
    const element = document.createElement('viewport-probe') as ViewportProbe;
    element.phone = false;
    element.open = true;
    document.body.append(element);
    await element.updateComplete;
    viewport.keyboard(500);
    expect(vars(element)).toEqual(['', '']);
    expect(viewport.listeners).toBe(0);
  });

  it('lets go when the panel closes and when the element leaves the page', async () => {
    const element = await probe(true);
    element.open = false;
    await element.updateComplete;
    expect(vars(element)).toEqual(['', '']);
    expect(viewport.listeners).toBe(0);

    element.open = true;
    await element.updateComplete;
    expect(viewport.listeners).toBe(2);
    element.remove();
    expect(viewport.listeners).toBe(0);
  });
});
