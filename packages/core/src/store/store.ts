export type Listener<S> = (state: S, previous: S) => void;

/**
 * A small store with immutable snapshots. State changes only by `dispatch(action)` through a
 * pure reducer; listeners are notified once per microtask however many actions ran (batched).
 */
export interface Store<S, A> {
  getSnapshot(): S;
  dispatch(action: A): void;
  subscribe(listener: Listener<S>): () => void;
  /** Calls `listener` only when `selector(state)` changes according to `equals` (default `Object.is`). */
  select<T>(selector: (state: S) => T, listener: (value: T, previous: T) => void, equals?: (a: T, b: T) => boolean): () => void;
}

export function createStore<S, A>(reducer: (state: S, action: A) => S, initial: S): Store<S, A> {
  let state = initial;
  let notifiedState = initial;
  let scheduled = false;
  const listeners = new Set<Listener<S>>();

  const flush = () => {
    scheduled = false;
    const previous = notifiedState;
    if (previous === state) return;
    notifiedState = state;
    for (const listener of [...listeners]) listener(state, previous);
  };

  return {
    getSnapshot: () => state,
    dispatch(action) {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    select(selector, listener, equals = Object.is) {
      let current = selector(state);
      return this.subscribe((s) => {
        const next = selector(s);
        if (equals(next, current)) return;
        const previous = current;
        current = next;
        listener(next, previous);
      });
    },
  };
}
