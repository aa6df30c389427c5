import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The part of `window.visualViewport` the controller reads (an interface, so tests can stand one in). */
export interface ViewportLike extends EventTarget {
  readonly height: number;
  readonly offsetTop: number;
}

/** Where the panel becomes full-screen (chat.styles.ts). */
const PHONE = '(max-width: 640px)';

/**
 * Keeps a full-screen phone panel inside the part of the screen the buyer can see.
 *
 * An on-screen keyboard shrinks the *visual* viewport but, on iOS Safari and on Android Chrome by
 * default, not the layout viewport that `position: fixed; inset: 0` is sized against — so the
 * composer would sit under the keyboard. While the panel is open, this writes the visual
 * viewport's height and top offset to `--_vv-height` / `--_vv-top` on the host, which the phone
 * layout uses — only on a phone-sized screen: a custom property on the host restyles the whole
 * shadow tree, a cost a desktop panel should not pay on every open. Setting them through the CSSOM is
 * allowed under a strict `style-src`.
 */
export class VisualViewportController implements ReactiveController {
  private listening: ViewportLike | undefined;

  /** The phone layout (chat.styles.ts) is the only one that reads the variables. */
  private readonly phone = typeof matchMedia === 'function' ? matchMedia(PHONE) : undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly isOpen: () => boolean,
    private readonly viewport: () => ViewportLike | null | undefined = () => (typeof window === 'undefined' ? null : window.visualViewport),
    private readonly isPhone: () => boolean = () => this.phone?.matches ?? false,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // Rotating a tablet or resizing a window across 640 px: start or stop following.
    this.phone?.addEventListener('change', this.onLayoutChange);
  }

  private readonly onLayoutChange = (): void => this.hostUpdated();

  hostUpdated(): void {
    const viewport = this.isOpen() && this.isPhone() ? this.viewport() : undefined;
    if (viewport === this.listening) return;
    this.stop();
    if (!viewport) return;
    this.listening = viewport;
    viewport.addEventListener('resize', this.sync);
    viewport.addEventListener('scroll', this.sync);
    this.sync();
  }

  hostDisconnected(): void {
    this.phone?.removeEventListener('change', this.onLayoutChange);
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
