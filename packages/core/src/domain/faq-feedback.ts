import * as v from 'valibot';
import { LIMITS } from './limits.js';
import { normalizeFaqText } from './faq-text.js';
import { DAY_MS, assertNow } from './time.js';
import type { Validation } from './validation.js';

/**
 * What a shop learns from its bot's answers: the questions asked most (hot), the answers buyers
 * mark "not helpful" (failing), and what the FAQ could not answer (unanswered) — to grow the FAQ
 * from. A pure aggregator: it reads no clock and does no I/O; a server feeds it events with their
 * time and persists `toJSON()` wherever it likes.
 *
 * Counts are kept per UTC day, so memory is bounded by the retention (90 days by default) and not
 * by traffic, and `report({ since })` works at day resolution.
 */

/** The bot answered (`hitId`) or could not answer (`null`) a buyer's question. */
export interface FaqQuestionEvent {
  readonly query: string;
  readonly hitId: string | null;
  /** When, in ms since the epoch (server time). */
  readonly at: number;
}

/** A buyer said whether the answer `hitId` helped. */
export interface FaqFeedbackEvent {
  readonly hitId: string;
  readonly helpful: boolean;
  readonly at: number;
}

export interface FaqEntryStats {
  readonly entryId: string;
  /** Times the bot answered with this entry. */
  readonly asked: number;
  readonly helpful: number;
  readonly unhelpful: number;
}

export interface FaqFailingStats extends FaqEntryStats {
  /** unhelpful / (helpful + unhelpful). */
  readonly unhelpfulRate: number;
}

export interface FaqUnansweredStats {
  /** The question folded (case, width, traditional characters, punctuation, emoji, spacing). */
  readonly query: string;
  readonly count: number;
  readonly lastAt: number;
}

export interface FaqStatsReport {
  /** Entries the bot answered with most, most asked first. */
  readonly hot: readonly FaqEntryStats[];
  /**
   * Entries buyers found unhelpful, worst first. Ranked by the lower bound of a 95% Wilson interval
   * of the unhelpful rate, so 40 "no" out of 50 outranks 1 out of 1; entries with fewer than
   * `minVotes` votes are left out as noise.
   */
  readonly failing: readonly FaqFailingStats[];
  /** Questions the bot could not answer, most asked first. */
  readonly unanswered: readonly FaqUnansweredStats[];
  /** Unanswered questions not kept because a day already held `maxQueriesPerDay` distinct ones. */
  readonly unansweredDropped: number;
}

export interface FaqReportOptions {
  /** Count only events from the UTC day of `since` on (ms since the epoch). Default: all kept. */
  readonly since?: number;
  /** Most rows per list. Default 10. */
  readonly limit?: number;
  /** Fewest feedback votes for an entry to be judged failing. Default 3. */
  readonly minVotes?: number;
}

export interface FaqStatsOptions {
  /** Days kept, counted back from the newest event. Default 90. */
  readonly retentionDays?: number;
  /** Distinct unanswered questions kept per day (a flood of junk cannot grow memory). Default 500. */
  readonly maxQueriesPerDay?: number;
  /** Distinct entry ids kept per day (ids come from buyers' feedback, so they are capped too). Default 1000. */
  readonly maxEntriesPerDay?: number;
}

/** Longest folded unanswered question kept, in characters. */
export const MAX_UNANSWERED_QUERY_LENGTH = 100;
/** Most days a persisted state may hold, and most rows per list of a day. */
const MAX_STATE_DAYS = 3660;
const MAX_STATE_ROWS = 10_000;

/** The persisted form, versioned. Tuples keep it compact: `[entryId, asked, helpful, unhelpful]`, `[query, count, lastAt]`. */
export interface FaqStatsState {
  readonly version: 1;
  readonly days: readonly {
    readonly day: string;
    readonly entries: readonly (readonly [string, number, number, number])[];
    readonly unanswered: readonly (readonly [string, number, number])[];
    readonly dropped: number;
  }[];
}

const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const FaqStatsStateSchema = v.object({
  version: v.literal(1),
  days: v.pipe(
    v.array(
      v.object({
        day: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/), v.check((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'invalid date')),
        entries: v.pipe(v.array(v.tuple([v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id)), Count, Count, Count])), v.maxLength(MAX_STATE_ROWS)),
        unanswered: v.pipe(v.array(v.tuple([v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_UNANSWERED_QUERY_LENGTH)), Count, Count])), v.maxLength(MAX_STATE_ROWS)),
        dropped: Count,
      }),
    ),
    v.maxLength(MAX_STATE_DAYS),
  ),
});

interface Counts {
  asked: number;
  helpful: number;
  unhelpful: number;
}
interface Day {
  readonly entries: Map<string, Counts>;
  readonly unanswered: Map<string, { count: number; lastAt: number }>;
  dropped: number;
}

/**
 * The folded form of a buyer's question, so that "Refund?", "ｒｅｆｕｎｄ" and " refund 😭" count
 * as one: NFKC, lower case, traditional characters simplified, punctuation, symbols and emoji
 * dropped, spaces collapsed (and removed next to Chinese), cut to 100 characters.
 */
export function normalizeFaqQuery(query: string): string {
  return normalizeFaqText(query)
    .replace(/[\p{P}\p{S}\p{Cf}\uFE0F]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ (?=\p{Script=Han})|(?<=\p{Script=Han}) /gu, '')
    .trim()
    .slice(0, MAX_UNANSWERED_QUERY_LENGTH)
    .trim();
}

const dayOf = (at: number) => Math.floor(at / DAY_MS);
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** 95% Wilson lower bound of a rate of `k` in `n`. */
function wilsonLower(k: number, n: number): number {
  if (n === 0) return 0;
  const z = 1.96;
  const p = k / n;
  const z2n = (z * z) / n;
  return (p + z2n / 2 - z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))) / (1 + z2n);
}

/**
 * A fresh aggregator.
 *
 * @example
 * const stats = createFaqStats()
 * stats.recordQuestion({ query: '退款多久到账', hitId: 'refund-time', at: now })
 * stats.recordFeedback({ hitId: 'refund-time', helpful: false, at: now })
 * stats.recordQuestion({ query: '发票怎么开？', hitId: null, at: now })
 * const { hot, failing, unanswered } = stats.report({ since: now - 7 * DAY_MS, limit: 10 })
 * await db.put('faq-stats', JSON.stringify(stats)) // later: faqStatsFromJSON(JSON.parse(saved))
 */
export function createFaqStats(options: FaqStatsOptions = {}) {
  return statsFrom(new Map(), options);
}

export type FaqStats = ReturnType<typeof createFaqStats>;

/**
 * An aggregator restored from `toJSON()` output (after `JSON.parse`). Persisted data is checked
 * like any untrusted input; a malformed or unknown-version state is refused, not half-read.
 */
export function faqStatsFromJSON(json: unknown, options: FaqStatsOptions = {}): Validation<FaqStats, 'invalid-state'> {
  const parsed = v.safeParse(FaqStatsStateSchema, json);
  if (!parsed.success) {
    return { ok: false, errors: parsed.issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', code: 'invalid-state' as const, params: { message: issue.message } })) };
  }
  const days = new Map<number, Day>();
  for (const saved of parsed.output.days) {
    const index = dayOf(Date.parse(`${saved.day}T00:00:00Z`));
    const day = days.get(index) ?? { entries: new Map(), unanswered: new Map(), dropped: 0 };
    for (const [id, asked, helpful, unhelpful] of saved.entries) {
      const c = day.entries.get(id) ?? { asked: 0, helpful: 0, unhelpful: 0 };
      day.entries.set(id, { asked: c.asked + asked, helpful: c.helpful + helpful, unhelpful: c.unhelpful + unhelpful });
    }
    for (const [query, count, lastAt] of saved.unanswered) {
      const u = day.unanswered.get(query);
      day.unanswered.set(query, { count: (u?.count ?? 0) + count, lastAt: Math.max(u?.lastAt ?? 0, lastAt) });
    }
    day.dropped += saved.dropped;
    days.set(index, day);
  }
  return { ok: true, value: statsFrom(days, options) };
}

function statsFrom(days: Map<number, Day>, options: FaqStatsOptions) {
  const retentionDays = Math.max(1, Math.floor(options.retentionDays ?? 90));
  const maxQueries = Math.max(0, Math.floor(options.maxQueriesPerDay ?? 500));
  const maxEntries = Math.max(0, Math.floor(options.maxEntriesPerDay ?? 1000));
  let newest = Math.max(-Infinity, ...days.keys());

  const prune = () => {
    for (const index of days.keys()) if (index <= newest - retentionDays) days.delete(index);
  };
  prune();

  /** The day of `at`, or undefined when it is older than the retention keeps. */
  function dayAt(at: number): Day | undefined {
    assertNow(at);
    const index = dayOf(at);
    if (index > newest) {
      newest = index;
      prune();
    }
    if (index <= newest - retentionDays) return undefined;
    let day = days.get(index);
    if (!day) days.set(index, (day = { entries: new Map(), unanswered: new Map(), dropped: 0 }));
    return day;
  }

  function countsFor(day: Day, id: string): Counts | undefined {
    if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.id) return undefined;
    let c = day.entries.get(id);
    if (!c && day.entries.size < maxEntries) day.entries.set(id, (c = { asked: 0, helpful: 0, unhelpful: 0 }));
    return c;
  }

  return {
    /** Counts a question: for its entry when answered, as unanswered (folded) when not. */
    recordQuestion({ query, hitId, at }: FaqQuestionEvent): void {
      const day = dayAt(at);
      if (!day) return;
      if (hitId !== null) {
        const c = countsFor(day, hitId);
        if (c) c.asked++;
        return;
      }
      const key = normalizeFaqQuery(String(query ?? ''));
      if (!key) return;
      const u = day.unanswered.get(key);
      if (u) {
        u.count++;
        u.lastAt = Math.max(u.lastAt, at);
      } else if (day.unanswered.size < maxQueries) day.unanswered.set(key, { count: 1, lastAt: at });
      else day.dropped++;
    },

    /** Counts a "was this helpful?" vote on the answer `hitId`. */
    recordFeedback({ hitId, helpful, at }: FaqFeedbackEvent): void {
      const day = dayAt(at);
      const c = day && countsFor(day, hitId);
      if (!c) return;
      if (helpful) c.helpful++;
      else c.unhelpful++;
    },

    /** Hot, failing and unanswered questions over the kept days from `since` on. */
    report({ since, limit = 10, minVotes = 3 }: FaqReportOptions = {}): FaqStatsReport {
      const from = since === undefined ? -Infinity : dayOf(since);
      const n = Math.max(0, Math.floor(limit));
      const entries = new Map<string, Counts>();
      const unanswered = new Map<string, { count: number; lastAt: number }>();
      let dropped = 0;
      for (const [index, day] of days) {
        if (index < from) continue;
        for (const [id, c] of day.entries) {
          const sum = entries.get(id) ?? { asked: 0, helpful: 0, unhelpful: 0 };
          entries.set(id, { asked: sum.asked + c.asked, helpful: sum.helpful + c.helpful, unhelpful: sum.unhelpful + c.unhelpful });
        }
        for (const [query, u] of day.unanswered) {
          const sum = unanswered.get(query);
          unanswered.set(query, { count: (sum?.count ?? 0) + u.count, lastAt: Math.max(sum?.lastAt ?? 0, u.lastAt) });
        }
        dropped += day.dropped;
      }
      const rows = [...entries].map(([entryId, c]) => ({ entryId, ...c }));
      const byId = (a: { entryId: string }, b: { entryId: string }) => (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0);
      return {
        hot: rows
          .filter((r) => r.asked > 0)
          .sort((a, b) => b.asked - a.asked || b.helpful - b.unhelpful - (a.helpful - a.unhelpful) || byId(a, b))
          .slice(0, n),
        failing: rows
          .filter((r) => r.unhelpful > 0 && r.helpful + r.unhelpful >= minVotes)
          .map((r) => ({ ...r, unhelpfulRate: r.unhelpful / (r.helpful + r.unhelpful), rank: wilsonLower(r.unhelpful, r.helpful + r.unhelpful) }))
          .sort((a, b) => b.rank - a.rank || b.unhelpful - a.unhelpful || byId(a, b))
          .slice(0, n)
          .map(({ rank: _rank, ...r }) => r),
        unanswered: [...unanswered]
          .map(([query, u]) => ({ query, ...u }))
          .sort((a, b) => b.count - a.count || b.lastAt - a.lastAt || (a.query < b.query ? -1 : a.query > b.query ? 1 : 0))
          .slice(0, n),
        unansweredDropped: dropped,
      };
    },

    /** The state as plain JSON data, for `JSON.stringify` and `faqStatsFromJSON`. */
    toJSON(): FaqStatsState {
      return {
        version: 1,
        days: [...days]
          .sort(([a], [b]) => a - b)
          .map(([index, day]) => ({
            day: isoDay(index),
            entries: [...day.entries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, c]) => [id, c.asked, c.helpful, c.unhelpful] as const),
            unanswered: [...day.unanswered].sort(([a], [b]) => (a < b ? -1 : 1)).map(([q, u]) => [q, u.count, u.lastAt] as const),
            dropped: day.dropped,
          })),
      };
    },
  };
}
