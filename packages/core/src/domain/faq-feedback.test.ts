import { describe, expect, it } from 'vitest';
import { createFaqStats, faqStatsFromJSON, normalizeFaqQuery, type FaqStats } from './faq-feedback.js';
import { DAY_MS, HOUR_MS } from './time.js';

const T0 = Date.parse('2025-05-01T08:00:00Z');

function ask(stats: FaqStats, hitId: string | null, times: number, at = T0, query = 'q') {
  for (let i = 0; i < times; i++) stats.recordQuestion({ query, hitId, at });
}
function vote(stats: FaqStats, hitId: string, helpful: number, unhelpful: number, at = T0) {
  for (let i = 0; i < helpful; i++) stats.recordFeedback({ hitId, helpful: true, at });
  for (let i = 0; i < unhelpful; i++) stats.recordFeedback({ hitId, helpful: false, at });
}

describe('normalizeFaqQuery', () => {
  it('folds case, width, punctuation, emoji and spacing so one question counts once', () => {
    expect(new Set(['Refund??', 'ｒｅｆｕｎｄ', '  refund 😭 ', 'REFUND!'].map(normalizeFaqQuery))).toEqual(new Set(['refund']));
  });

  it('folds traditional characters and the spaces between Chinese words', () => {
    expect(normalizeFaqQuery('退貨 怎麼辦？')).toBe(normalizeFaqQuery('退货怎么办'));
    expect(normalizeFaqQuery('my 包裹 where')).toBe('my包裹where');
  });

  it('cuts long questions to 100 characters', () => {
    expect(normalizeFaqQuery('a'.repeat(10_000))).toHaveLength(100);
  });
});

describe('createFaqStats', () => {
  it('reports hot entries by times asked, most first, ties by id, within the limit', () => {
    const stats = createFaqStats();
    ask(stats, 'refund-time', 5);
    ask(stats, 'track-parcel', 9);
    ask(stats, 'invoice', 5);
    ask(stats, 'exchange', 1);
    vote(stats, 'refund-time', 2, 1);
    const { hot } = stats.report({ limit: 3 });
    expect(hot).toEqual([
      { entryId: 'track-parcel', asked: 9, helpful: 0, unhelpful: 0 },
      { entryId: 'refund-time', asked: 5, helpful: 2, unhelpful: 1 },
      { entryId: 'invoice', asked: 5, helpful: 0, unhelpful: 0 },
    ]);
  });

  it('ranks failing entries by confidence, not raw rate, and leaves out entries with too few votes', () => {
    const stats = createFaqStats();
    vote(stats, 'one-vote', 0, 1); // 100% of 1 vote: below minVotes
    vote(stats, 'small', 0, 3); // 100% of 3
    vote(stats, 'big', 10, 40); // 80% of 50: more certainly bad
    vote(stats, 'fine', 20, 0); // never unhelpful
    vote(stats, 'mixed', 6, 4); // 40% of 10
    const { failing } = stats.report();
    expect(failing.map((f) => f.entryId)).toEqual(['big', 'small', 'mixed']);
    expect(failing[0]).toEqual({ entryId: 'big', asked: 0, helpful: 10, unhelpful: 40, unhelpfulRate: 0.8 });
    expect(failing[1]!.unhelpfulRate).toBe(1);
    expect(stats.report({ minVotes: 1 }).failing.map((f) => f.entryId)).toContain('one-vote');
  });

  it('collects unanswered questions folded together, most asked first, with when they were last asked', () => {
    const stats = createFaqStats();
    stats.recordQuestion({ query: '发票怎么开？', hitId: null, at: T0 });
    stats.recordQuestion({ query: '發票怎麼開', hitId: null, at: T0 + HOUR_MS });
    stats.recordQuestion({ query: 'Do you ship to Mars?', hitId: null, at: T0 + 2 * HOUR_MS });
    stats.recordQuestion({ query: '？？？😭', hitId: null, at: T0 }); // nothing left after folding
    stats.recordQuestion({ query: '退款多久到账', hitId: 'refund-time', at: T0 }); // answered: not here
    expect(stats.report().unanswered).toEqual([
      { query: '发票怎么开', count: 2, lastAt: T0 + HOUR_MS },
      { query: 'do you ship to mars', count: 1, lastAt: T0 + 2 * HOUR_MS },
    ]);
  });

  it('counts only events from the day of `since` on', () => {
    const stats = createFaqStats();
    ask(stats, 'refund-time', 3, T0 - 10 * DAY_MS);
    ask(stats, 'refund-time', 2, T0 - DAY_MS);
    ask(stats, 'refund-time', 1, T0);
    stats.recordQuestion({ query: 'old', hitId: null, at: T0 - 10 * DAY_MS });
    expect(stats.report().hot[0]!.asked).toBe(6);
    expect(stats.report({ since: T0 - DAY_MS }).hot[0]!.asked).toBe(3);
    expect(stats.report({ since: T0 }).hot[0]!.asked).toBe(1);
    expect(stats.report({ since: T0 - DAY_MS }).unanswered).toEqual([]);
  });

  it('forgets days older than the retention, counted back from the newest event', () => {
    const stats = createFaqStats({ retentionDays: 7 });
    ask(stats, 'a', 4, T0);
    ask(stats, 'a', 1, T0 + 7 * DAY_MS); // day T0 is now 7 days back: dropped
    ask(stats, 'a', 5, T0 - 30 * DAY_MS); // older than kept: ignored
    expect(stats.report().hot).toEqual([{ entryId: 'a', asked: 1, helpful: 0, unhelpful: 0 }]);
    expect(stats.toJSON().days.map((d) => d.day)).toEqual(['2025-05-08']);
  });

  it('keeps memory bounded against floods of distinct questions and invented entry ids', () => {
    const stats = createFaqStats({ maxQueriesPerDay: 3, maxEntriesPerDay: 2 });
    for (let i = 0; i < 10; i++) stats.recordQuestion({ query: `junk ${i}`, hitId: null, at: T0 });
    stats.recordQuestion({ query: 'junk 0', hitId: null, at: T0 }); // already kept: still counted
    for (let i = 0; i < 10; i++) stats.recordFeedback({ hitId: `id-${i}`, helpful: false, at: T0 });
    stats.recordFeedback({ hitId: 'x'.repeat(500), helpful: false, at: T0 });
    const report = stats.report({ minVotes: 1, limit: 100 });
    expect(report.unanswered).toHaveLength(3);
    expect(report.unanswered.find((u) => u.query === 'junk 0')?.count).toBe(2);
    expect(report.unansweredDropped).toBe(7);
    expect(report.failing.map((f) => f.entryId)).toEqual(['id-0', 'id-1']);
  });

  it('treats ids like "__proto__" as plain data', () => {
    const stats = createFaqStats();
    vote(stats, '__proto__', 0, 3);
    const restored = faqStatsFromJSON(JSON.parse(JSON.stringify(stats)));
    expect(restored.ok && restored.value.report().failing[0]?.entryId).toBe('__proto__');
    expect(({} as Record<string, unknown>).asked).toBeUndefined();
  });

  it('refuses an `at` that is not integer milliseconds since the epoch', () => {
    const stats = createFaqStats();
    expect(() => stats.recordQuestion({ query: 'x', hitId: null, at: Number.NaN })).toThrow(/now/);
    expect(() => stats.recordFeedback({ hitId: 'a', helpful: true, at: 1.5 })).toThrow(/now/);
  });
});

describe('toJSON and faqStatsFromJSON', () => {
  function sample() {
    const stats = createFaqStats();
    ask(stats, 'refund-time', 4, T0 - DAY_MS);
    ask(stats, 'track-parcel', 2, T0);
    vote(stats, 'refund-time', 1, 3, T0);
    stats.recordQuestion({ query: '发票怎么开', hitId: null, at: T0 });
    return stats;
  }

  it('round-trips through JSON text to the same report and the same state', () => {
    const stats = sample();
    const restored = faqStatsFromJSON(JSON.parse(JSON.stringify(stats)));
    expect(restored.ok).toBe(true);
    if (!restored.ok) return;
    expect(restored.value.report()).toEqual(stats.report());
    expect(restored.value.toJSON()).toEqual(stats.toJSON());
    expect(restored.value.report({ since: T0 })).toEqual(stats.report({ since: T0 }));
  });

  it('keeps counting after a restore', () => {
    const restored = faqStatsFromJSON(sample().toJSON());
    if (!restored.ok) throw new Error('expected a valid state');
    ask(restored.value, 'track-parcel', 5, T0);
    expect(restored.value.report().hot[0]).toEqual({ entryId: 'track-parcel', asked: 7, helpful: 0, unhelpful: 0 });
  });

  it.each([
    ['not an object', 'stats'],
    ['an unknown version', { version: 2, days: [] }],
    ['a negative count', { version: 1, days: [{ day: '2025-05-01', entries: [['a', -1, 0, 0]], unanswered: [], dropped: 0 }] }],
    ['a fractional count', { version: 1, days: [{ day: '2025-05-01', entries: [['a', 1.5, 0, 0]], unanswered: [], dropped: 0 }] }],
    ['a bad day', { version: 1, days: [{ day: 'yesterday', entries: [], unanswered: [], dropped: 0 }] }],
    ['an over-long id', { version: 1, days: [{ day: '2025-05-01', entries: [['x'.repeat(500), 1, 0, 0]], unanswered: [], dropped: 0 }] }],
  ])('refuses %s', (_name, json) => {
    const result = faqStatsFromJSON(json);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.code).toBe('invalid-state');
  });
});
