import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ComplaintSchema, RATING_TAGS, RatingSchema, validateComplaint, validateRating } from './satisfaction.js';

const codes = (r: { ok: boolean; errors?: readonly { path: string; code: string }[] }) => (r.ok ? [] : r.errors!.map((e) => `${e.path}:${e.code}`));

describe('validateRating', () => {
  it('accepts a rating and trims the comment', () => {
    const result = validateRating({ sessionId: 's_1', score: 5, tags: ['fast', 'solved'], comment: '  谢谢！ ' }, []);
    expect(result).toEqual({ ok: true, value: { sessionId: 's_1', score: 5, tags: ['fast', 'solved'], comment: '谢谢！' } });
    expect(result.ok && v.is(RatingSchema, result.value)).toBe(true);
  });

  it('drops an empty comment and defaults tags to none', () => {
    expect(validateRating({ sessionId: 's_1', score: 3, comment: '   ' })).toEqual({ ok: true, value: { sessionId: 's_1', score: 3, tags: [] } });
  });

  it('accepts scores 1 to 5 and refuses 0, 6 and 4.5', () => {
    for (const score of [1, 2, 3, 4, 5]) expect(validateRating({ sessionId: 's', score }).ok, String(score)).toBe(true);
    for (const score of [0, 6, 4.5, Number.NaN]) expect(codes(validateRating({ sessionId: 's', score })), String(score)).toEqual(['score:score-out-of-range']);
  });

  it('refuses a second rating of the same session', () => {
    expect(codes(validateRating({ sessionId: 's_1', score: 4 }, new Set(['s_1'])))).toEqual(['sessionId:already-rated']);
    expect(validateRating({ sessionId: 's_2', score: 4 }, ['s_1']).ok).toBe(true);
  });

  it('refuses tags outside the list, repeated tags and more than six', () => {
    expect(codes(validateRating({ sessionId: 's', score: 2, tags: ['slow', 'awesome', 'slow'] }))).toEqual(['tags[1]:unknown-tag', 'tags[2]:duplicate-tag']);
    expect(validateRating({ sessionId: 's', score: 2, tags: RATING_TAGS.slice(0, 6) }).ok).toBe(true);
    expect(codes(validateRating({ sessionId: 's', score: 2, tags: RATING_TAGS.slice(0, 7) }))).toEqual(['tags:too-many-tags']);
  });

  it('allows a 500-character comment and refuses 501', () => {
    expect(validateRating({ sessionId: 's', score: 2, comment: 'a'.repeat(500) }).ok).toBe(true);
    expect(codes(validateRating({ sessionId: 's', score: 2, comment: 'a'.repeat(501) }))).toEqual(['comment:comment-too-long']);
  });

  it('collects every problem', () => {
    expect(codes(validateRating({ sessionId: '', score: 9, tags: ['nope'], comment: 'a'.repeat(501) }))).toEqual([
      'sessionId:session-required',
      'score:score-out-of-range',
      'tags[0]:unknown-tag',
      'comment:comment-too-long',
    ]);
  });
});

describe('RatingSchema', () => {
  it('rejects repeated tags and more than six', () => {
    expect(v.is(RatingSchema, { sessionId: 's', score: 5, tags: ['fast', 'fast'] })).toBe(false);
    expect(v.is(RatingSchema, { sessionId: 's', score: 5, tags: RATING_TAGS.slice(0, 7) })).toBe(false);
  });
});

describe('validateComplaint', () => {
  it('accepts a complaint, trimming text and order id', () => {
    const result = validateComplaint({ category: 'logistics', text: ' 快递三天没动 ', orderId: ' o_1 ' });
    expect(result).toEqual({ ok: true, value: { category: 'logistics', text: '快递三天没动', orderId: 'o_1' } });
    expect(result.ok && v.is(ComplaintSchema, result.value)).toBe(true);
  });

  it('refuses an unknown category', () => {
    expect(codes(validateComplaint({ category: 'weather', text: 'x' }))).toEqual(['category:unknown-category']);
  });

  it('requires 1–1000 characters of text', () => {
    expect(codes(validateComplaint({ category: 'other', text: '   ' }))).toEqual(['text:text-required']);
    expect(validateComplaint({ category: 'other', text: 'a'.repeat(1000) }).ok).toBe(true);
    expect(codes(validateComplaint({ category: 'other', text: 'a'.repeat(1001) }))).toEqual(['text:text-too-long']);
  });

  it('refuses an over-long order id and drops a blank one', () => {
    expect(codes(validateComplaint({ category: 'other', text: 'x', orderId: 'o'.repeat(129) }))).toEqual(['orderId:order-id-invalid']);
    expect(validateComplaint({ category: 'other', text: 'x', orderId: ' ' })).toEqual({ ok: true, value: { category: 'other', text: 'x' } });
  });
});
