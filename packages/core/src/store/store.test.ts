import { describe, expect, it, vi } from 'vitest';
import { createStore } from './store.js';

type S = { count: number; label: string };
type A = { type: 'inc' } | { type: 'label'; label: string } | { type: 'noop' };
const reducer = (s: S, a: A): S => {
  switch (a.type) {
    case 'inc': return { ...s, count: s.count + 1 };
    case 'label': return s.label === a.label ? s : { ...s, label: a.label };
    case 'noop': return s;
  }
};

describe('createStore', () => {
  it('notifies once per microtask however many actions ran', async () => {
    const store = createStore(reducer, { count: 0, label: '' });
    const listener = vi.fn();
    store.subscribe(listener);
    store.dispatch({ type: 'inc' });
    store.dispatch({ type: 'inc' });
    store.dispatch({ type: 'inc' });
    expect(listener).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]![0]).toEqual({ count: 3, label: '' });
    expect(listener.mock.calls[0]![1]).toEqual({ count: 0, label: '' });
  });

  it('never mutates an old snapshot', () => {
    const store = createStore(reducer, { count: 0, label: '' });
    const before = store.getSnapshot();
    store.dispatch({ type: 'inc' });
    expect(before.count).toBe(0);
    expect(store.getSnapshot()).not.toBe(before);
  });

  it('select calls back only when the selected value changes', async () => {
    const store = createStore(reducer, { count: 0, label: '' });
    const onLabel = vi.fn();
    store.select((s) => s.label, onLabel);
    store.dispatch({ type: 'inc' });
    await Promise.resolve();
    expect(onLabel).not.toHaveBeenCalled();
    store.dispatch({ type: 'label', label: 'a' });
    await Promise.resolve();
    expect(onLabel).toHaveBeenCalledWith('a', '');
  });

  it('does not notify for actions that change nothing', async () => {
    const store = createStore(reducer, { count: 0, label: '' });
    const listener = vi.fn();
    store.subscribe(listener);
    store.dispatch({ type: 'noop' });
    await Promise.resolve();
    expect(listener).not.toHaveBeenCalled();
  });
});
