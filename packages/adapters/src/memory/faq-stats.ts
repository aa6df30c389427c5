import { createFaqStats, type FaqFeedbackEvent, type FaqQuestionEvent } from '@xiaoer/core/faq';

/**
 * The desk's view of what the shop learns from its bot — the questions asked most (hot), the
 * answers buyers found unhelpful (failing), and what the FAQ could not answer (unanswered) — made
 * by core's FAQ statistics (`createFaqStats`), with each entry's question for display.
 */
export interface FaqStats {
  readonly hot: readonly { faqId: string; question: string; answered: number }[];
  readonly failing: readonly { faqId: string; question: string; helpful: number; unhelpful: number }[];
  /** Buyer questions the bot was not sure about, folded (case, width, punctuation), most asked first. */
  readonly unanswered: readonly { text: string; count: number; lastAt: number }[];
}

export interface FaqStatsInput {
  readonly questions: Iterable<FaqQuestionEvent>;
  readonly feedback: Iterable<FaqFeedbackEvent>;
  /** The question shown for an FAQ id. */
  readonly question: (faqId: string) => string;
  readonly limit?: number;
}

/**
 * Aggregates every question and vote. A demo shop has few votes, so one "not helpful" is enough
 * to list an answer as failing (core's default asks for three).
 */
export function faqStats({ questions, feedback, question, limit = 10 }: FaqStatsInput): FaqStats {
  const stats = createFaqStats();
  for (const q of questions) stats.recordQuestion(q);
  for (const f of feedback) stats.recordFeedback(f);
  const report = stats.report({ limit, minVotes: 1 });
  return {
    hot: report.hot.map((e) => ({ faqId: e.entryId, question: question(e.entryId), answered: e.asked })),
    failing: report.failing.map((e) => ({ faqId: e.entryId, question: question(e.entryId), helpful: e.helpful, unhelpful: e.unhelpful })),
    unanswered: report.unanswered.map((u) => ({ text: u.query, count: u.count, lastAt: u.lastAt })),
  };
}
