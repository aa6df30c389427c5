/**
 * The browser signals a transport listens to, reduced to what it needs and injectable in tests.
 * In Node (no window) both are no-ops.
 */
export interface LinkEnvironment {
  /** Calls back when the device comes back online or the page becomes visible: a moment to retry now. */
  onWake(callback: () => void): () => void;
  /** Calls back when the device says it went offline. */
  onOffline(callback: () => void): () => void;
  isOnline(): boolean;
}

export const browserEnvironment: LinkEnvironment = {
  onWake(callback) {
    if (typeof window === 'undefined') return () => {};
    const onVisible = () => {
      if (document.visibilityState === 'visible') callback();
    };
    window.addEventListener('online', callback);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('online', callback);
      document.removeEventListener('visibilitychange', onVisible);
    };
  },
  onOffline(callback) {
    if (typeof window === 'undefined') return () => {};
    window.addEventListener('offline', callback);
    return () => window.removeEventListener('offline', callback);
  },
  isOnline: () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false),
};
