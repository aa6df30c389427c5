import * as v from 'valibot';
import { LIMITS } from './limits.js';
import type { FieldError, Validation } from './validation.js';

/** Tags a buyer can pick when rating an agent session; the widget translates them. */
export const RATING_TAGS = ['fast', 'friendly', 'solved', 'professional', 'patient', 'slow', 'unhelpful', 'rude', 'not-solved', 'long-wait'] as const;
export type RatingTag = (typeof RATING_TAGS)[number];

/** Most tags on one rating. */
export const MAX_RATING_TAGS = 6;
/** Longest rating comment, in UTF-16 code units. */
export const MAX_RATING_COMMENT = 500;

const SessionId = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id));

/** A satisfaction rating of an agent session: 1–5, up to 6 distinct tags, an optional comment. */
export const RatingSchema = v.object({
  sessionId: SessionId,
  score: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
  tags: v.pipe(
    v.array(v.picklist(RATING_TAGS)),
    v.maxLength(MAX_RATING_TAGS),
    v.check((tags) => new Set(tags).size === tags.length, 'Tags must not repeat'),
  ),
  comment: v.optional(v.pipe(v.string(), v.maxLength(MAX_RATING_COMMENT))),
});
export type Rating = v.InferOutput<typeof RatingSchema>;

/** What a rating form hands over; untrusted until `validateRating` accepts it. */
export interface RatingInput {
  readonly sessionId: string;
  readonly score: number;
  readonly tags?: readonly string[];
  readonly comment?: string;
}

export type RatingErrorCode =
  | 'session-required'
  | 'already-rated'
  | 'score-out-of-range'
  | 'unknown-tag'
  | 'duplicate-tag'
  | 'too-many-tags'
  | 'comment-too-long';

/**
 * Checks a rating, collecting every problem: a session id; a score that is a whole number 1–5;
 * at most 6 tags, each from `RATING_TAGS` and none repeated; a comment of at most 500 characters
 * after trimming; and no earlier rating of the same session (`alreadyRatedSessionIds`).
 * On success returns the rating with the comment trimmed (dropped when empty).
 */
export function validateRating(input: RatingInput, alreadyRatedSessionIds: Iterable<string> = []): Validation<Rating, RatingErrorCode> {
  const errors: FieldError<RatingErrorCode>[] = [];
  const sessionId = typeof input?.sessionId === 'string' ? input.sessionId : '';
  if (sessionId.length === 0 || sessionId.length > LIMITS.id) errors.push({ path: 'sessionId', code: 'session-required' });
  else if (new Set(alreadyRatedSessionIds).has(sessionId)) errors.push({ path: 'sessionId', code: 'already-rated' });

  const score = input?.score;
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) {
    errors.push({ path: 'score', code: 'score-out-of-range', params: { min: 1, max: 5 } });
  }

  const tags = Array.isArray(input?.tags) ? input.tags : [];
  if (tags.length > MAX_RATING_TAGS) errors.push({ path: 'tags', code: 'too-many-tags', params: { max: MAX_RATING_TAGS } });
  const seen = new Set<string>();
  tags.slice(0, 50).forEach((tag, i) => {
    if (!(RATING_TAGS as readonly unknown[]).includes(tag)) errors.push({ path: `tags[${i}]`, code: 'unknown-tag' });
    else if (seen.has(tag)) errors.push({ path: `tags[${i}]`, code: 'duplicate-tag' });
    seen.add(tag);
  });

  const comment = typeof input?.comment === 'string' ? input.comment.trim() : '';
  if (comment.length > MAX_RATING_COMMENT) errors.push({ path: 'comment', code: 'comment-too-long', params: { max: MAX_RATING_COMMENT } });

  if (errors.length > 0) return { ok: false, errors };
  const value: Rating = { sessionId, score: score as number, tags: tags as RatingTag[] };
  return { ok: true, value: comment ? { ...value, comment } : value };
}

/** What a complaint is about. */
export const COMPLAINT_CATEGORIES = [
  'service-attitude',
  'slow-response',
  'product-quality',
  'logistics',
  'after-sales',
  'false-advertising',
  'privacy',
  'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** Longest complaint text, in UTF-16 code units. */
export const MAX_COMPLAINT_TEXT = 1000;

/** A complaint: a category, 1–1000 characters of text, optionally the order it concerns. */
export const ComplaintSchema = v.object({
  category: v.picklist(COMPLAINT_CATEGORIES),
  text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_COMPLAINT_TEXT)),
  orderId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id))),
});
export type Complaint = v.InferOutput<typeof ComplaintSchema>;

export interface ComplaintInput {
  readonly category: string;
  readonly text: string;
  readonly orderId?: string;
}

export type ComplaintErrorCode = 'unknown-category' | 'text-required' | 'text-too-long' | 'order-id-invalid';

/**
 * Checks a complaint, collecting every problem: a category from `COMPLAINT_CATEGORIES`; text of
 * 1–1000 characters after trimming; an order id, when given, of 1–128 characters. Returns the
 * complaint with text and order id trimmed (an empty order id is dropped).
 */
export function validateComplaint(input: ComplaintInput): Validation<Complaint, ComplaintErrorCode> {
  const errors: FieldError<ComplaintErrorCode>[] = [];
  const category = input?.category;
  if (!(COMPLAINT_CATEGORIES as readonly unknown[]).includes(category)) errors.push({ path: 'category', code: 'unknown-category' });
  const text = typeof input?.text === 'string' ? input.text.trim() : '';
  if (text.length === 0) errors.push({ path: 'text', code: 'text-required' });
  else if (text.length > MAX_COMPLAINT_TEXT) errors.push({ path: 'text', code: 'text-too-long', params: { max: MAX_COMPLAINT_TEXT } });
  const orderId = typeof input?.orderId === 'string' ? input.orderId.trim() : undefined;
  if (input?.orderId !== undefined && (typeof input.orderId !== 'string' || (orderId !== undefined && orderId.length > LIMITS.id))) {
    errors.push({ path: 'orderId', code: 'order-id-invalid' });
  }
  if (errors.length > 0) return { ok: false, errors };
  const value: Complaint = { category: category as ComplaintCategory, text };
  return { ok: true, value: orderId ? { ...value, orderId } : value };
}
