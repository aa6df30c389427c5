import { describe, expect, it } from 'vitest';
import { decodeServerFrame, validateClientFrame, MAX_FRAME_BYTES } from './codec.js';
import { messageFrame, readyFrame } from '../test/fixtures.js';

describe('decodeServerFrame', () => {
  it('accepts a valid event frame', () => {
    const decoded = decodeServerFrame(JSON.stringify(messageFrame(1)));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.frame.kind).toBe('event');
  });

  it.each([
    ['invalid JSON', '{"v":1,', /not valid JSON/],
    ['a non-object', '[1,2,3]', /not an object/],
    ['another protocol version', JSON.stringify({ ...readyFrame(), v: 2 }), /protocol version 2/],
    ['an unknown kind', JSON.stringify({ v: 1, kind: 'teleport' }), /invalid server frame/],
    ['a wrong field type', JSON.stringify({ ...messageFrame(1), seq: 'one' }), /seq/],
    ['a message above the text limit', JSON.stringify(messageFrame(1, { body: { kind: 'text', text: 'x'.repeat(20_001) } })), /invalid server frame/],
  ])('turns %s into a ProtocolError, never an exception', (_name, text, message) => {
    const decoded = decodeServerFrame(text);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.error.code).toBe('protocol');
      expect(decoded.error.message).toMatch(message);
    }
  });

  it('refuses an oversized frame before parsing it', () => {
    const decoded = decodeServerFrame(' '.repeat(MAX_FRAME_BYTES + 1));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error.message).toMatch(/exceeds/);
  });

  it('does not throw on random input', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: Math.floor(rand() * 60) }, () => String.fromCharCode(Math.floor(rand() * 128))).join('');
      expect(() => decodeServerFrame(text)).not.toThrow();
      expect(() => decodeServerFrame(JSON.stringify({ v: 1, kind: 'event', seq: rand(), event: { type: text } }))).not.toThrow();
    }
  });
});

describe('validateClientFrame', () => {
  it('accepts a text command and refuses an empty id', () => {
    const frame = { v: 1, kind: 'command', id: 'c_1', command: { type: 'message.send', body: { kind: 'text', text: 'hi' } } };
    expect(validateClientFrame(frame).ok).toBe(true);
    expect(validateClientFrame({ ...frame, id: '' }).ok).toBe(false);
  });
});
