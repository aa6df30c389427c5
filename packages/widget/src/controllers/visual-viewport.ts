import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The part of `window.visualViewport` the controller reads (an interface, so tests can stand one in). */
export interface ViewportLike extends EventTarget {
  readonly height: number;
  readonly offsetTop: number;
}

/**
 * Keeps a full-screen phone panel inside the part of the screen the buyer can see.
 *
 * An on-screen keyboard shrinks the *visual* viewport but, on iOS Safari and on Android Chrome by
 * default, not the layout viewport that `position: fixed; inset: 0` is sized against — so the
 * composer would sit under the keyboard. While the panel is open, this writes the visual
 * viewport's height and top offset to `--_vv-height` / `--_vv-top` on the host, which the phone
 * layout uses; on a desktop the variables are simply unused. Setting them through the CSSOM is
 * allowed under a strict `style-src`.
 */
export class VisualViewportController implements ReactiveController {
  private listening: ViewportLike | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly isOpen: () => boolean,
    private readonly viewport: () => ViewportLike | null | undefined = () => (typeof window === 'undefined' ? null : window.visualViewport),
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const viewport = this.isOpen() ? this.viewport() : undefined;
    if (viewport === this.listening) return;
    this.stop();
    if (!viewport) return;
    this.listening = viewport;
    viewport.addEventListener('resize', this.sync);
    viewport.addEventListener('scroll', this.sync);
    this.sync();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private readonly sync = (): void => {
    const viewport = this.listening;
    if (!viewport) return;
    this.host.style.setProperty('--_vv-height', `${Math.round(viewport.height)}px`);
    this.host.style.setProperty('--_vv-top', `${Math.round(viewport.offsetTop)}px`);
  };

  private stop(): void {
    const viewport = this.listening;
    if (!viewport) return;
    viewport.removeEventListener('resize', this.sync);
    viewport.removeEventListener('scroll', this.sync);
    this.listening = undefined;
    this.host.style.removeProperty('--_vv-height');
    this.host.style.removeProperty('--_vv-top');
  }
}
