/**
 * `@xiaoer/core/faq`: the FAQ search (index, text folding, traditional → simplified) and the FAQ
 * statistics. Its own entry, not part of the main one, so an app that does not search the FAQ
 * (or searches it only in a lazily loaded view, like the widget's help center) does not bundle it:
 * bundlers split chunks by what an entry reaches, not by what it uses.
 *
 * `FaqEntry`, the protocol's shape of an entry (`faq.entries`), is a type and is also exported by
 * the main entry.
 */
export {
  createFaqIndex,
  faqTerms,
  FAQ_DEFAULT_THRESHOLD,
  type FaqEntry,
  type FaqHit,
  type FaqIndex,
  type FaqSearchOptions,
} from '../domain/faq.js';
export { FAQ_MAX_QUERY_LENGTH, normalizeFaqText } from '../domain/faq-text.js';
export { toSimplified } from '../domain/faq-hant.js';
export {
  createFaqStats,
  faqStatsFromJSON,
  normalizeFaqQuery,
  MAX_UNANSWERED_QUERY_LENGTH,
  type FaqStats,
  type FaqStatsState,
  type FaqStatsOptions,
  type FaqStatsReport,
  type FaqReportOptions,
  type FaqEntryStats,
  type FaqFailingStats,
  type FaqUnansweredStats,
  type FaqQuestionEvent,
  type FaqFeedbackEvent,
} from '../domain/faq-feedback.js';
