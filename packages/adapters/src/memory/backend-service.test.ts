import { describe, expect, it } from 'vitest';
import type { Message } from '@xiaoer/core';
import { SupportBackend, type BackendRecord } from './backend.js';
import { connectBuyer, connectDesk, demoBuyer, makeBackend, otherBuyer, type BuyerHandle } from './backend.fixtures.js';

function endedSession(backend: SupportBackend, b: BuyerHandle) {
  b.command({ type: 'handoff.request' });
  const desk = connectDesk(backend);
  desk.send({ kind: 'desk.take', conversationId: b.ready.conversationId });
  desk.send({ kind: 'desk.end', conversationId: b.ready.conversationId });
  const routing = b.routing();
  if (routing?.phase !== 'ended' || !routing.sessionId) throw new Error(`expected an ended session, got ${JSON.stringify(routing)}`);
  return { desk, sessionId: routing.sessionId };
}

describe('SupportBackend: satisfaction rating', () => {
  it('takes one rating per ended session: routing becomes rated, a thank-you notice, and the desk sees it', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    const { desk, sessionId } = endedSession(backend, me);
    expect(me.command({ type: 'rating.submit', rating: { sessionId, score: 5, tags: ['fast', 'solved'], comment: ' 很快 ' } })).toMatchObject({ kind: 'ack' });
    expect(me.routing()).toEqual({ phase: 'rated', sessionId });
    expect(me.notices().at(-1)?.body.text).toMatch(/Thank you/);
    expect(desk.inbox()?.ratings).toEqual([expect.objectContaining({ conversationId: me.ready.conversationId, agentId: desk.agent.id, rating: { sessionId, score: 5, tags: ['fast', 'solved'], comment: '很快' } })]);
    // The desk that ran the session still follows the conversation and sees the thanks.
    expect(desk.frames.some((f) => f.kind === 'desk.event' && f.event.type === 'routing.changed' && f.event.routing.phase === 'rated')).toBe(true);

    expect(me.command({ type: 'rating.submit', rating: { sessionId, score: 1, tags: [] } })).toMatchObject({ kind: 'nack', error: { code: 'refused', reason: 'already-rated' } });
    expect(desk.inbox()?.ratings).toHaveLength(1);
  });

  it('refuses a rating of a session that has not ended or does not belong to the conversation', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    me.command({ type: 'handoff.request' });
    const desk = connectDesk(backend);
    desk.send({ kind: 'desk.take', conversationId: me.ready.conversationId });
    const routing = me.routing() as { sessionId: string };
    expect(me.command({ type: 'rating.submit', rating: { sessionId: routing.sessionId, score: 4, tags: [] } })).toMatchObject({ kind: 'nack', error: { reason: 'session-not-ended' } });
    const other = otherBuyer(backend);
    expect(other.command({ type: 'rating.submit', rating: { sessionId: routing.sessionId, score: 1, tags: [] } })).toMatchObject({ kind: 'nack', error: { reason: 'unknown-session' } });
  });
});

describe('SupportBackend: outside business hours', () => {
  it('goes offline instead of queueing, and the bot offers to leave a message instead of a person', () => {
    const { backend } = makeBackend({ isOpen: () => false });
    const b = connectBuyer(backend);
    expect(b.ready.agentsAvailable).toBe(false);
    expect(b.messages()[0]?.body).toMatchObject({ suggestions: expect.arrayContaining([expect.objectContaining({ action: 'leave-message' })]) });
    b.command({ type: 'handoff.request' });
    expect(b.routing()).toEqual({ phase: 'offline', reason: 'closed-hours' });
    b.say('Can I return an item within 7 days?');
    const answer = b.messages().at(-1)!.body;
    expect(answer).toMatchObject({ faqId: 'return-policy', suggestions: [{ action: 'open-after-sales' }, { action: 'leave-message' }] });
  });

  it('stores a left message, lists it on the desk, and delivers the agent\'s later answer into the same conversation', () => {
    const { backend } = makeBackend({ isOpen: () => false });
    const b = connectBuyer(backend, { visitorId: 'v_night' });
    const ack = b.command({ type: 'message.leave', contact: '138 0013 8000', text: '夜里下的单，能明天一早发货吗？' });
    expect(ack).toMatchObject({ kind: 'ack', result: { leftMessageId: expect.stringMatching(/^L-/) } });
    expect(b.notices().at(-1)?.body.text).toMatch(/138 0013 8000/);
    b.conn.close();

    const desk = connectDesk(backend);
    const left = desk.inbox()!.leftMessages[0]!;
    expect(left).toMatchObject({ contact: '138 0013 8000', text: '夜里下的单，能明天一早发货吗？', conversationId: b.ready.conversationId });
    desk.send({ kind: 'desk.left.answer', leftMessageId: left.id, id: 'ans-1', text: '可以的，明早 9 点优先发出。' });
    desk.send({ kind: 'desk.left.answer', leftMessageId: left.id, id: 'ans-1', text: '可以的，明早 9 点优先发出。' });
    expect(desk.inbox()!.leftMessages[0]?.answer).toMatchObject({ text: '可以的，明早 9 点优先发出。', agent: desk.agent.name });

    const back = connectBuyer(backend, { visitorId: 'v_night', conversationId: b.ready.conversationId });
    const answers = back.messages().filter((m: Message) => m.author.role === 'agent');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ author: { role: 'agent', name: desk.agent.name }, body: { kind: 'text', text: '可以的，明早 9 点优先发出。' } });
  });
});

describe('SupportBackend: complaints and FAQ feedback', () => {
  it('turns a complaint into a ticket with a notice, listed on the desk', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    const desk = connectDesk(backend);
    const ack = me.command({ type: 'complaint.submit', complaint: { category: 'logistics', text: '  快递员态度很差  ', orderId: 'XE10007' } });
    expect(ack).toMatchObject({ kind: 'ack', result: { ticketId: expect.stringMatching(/^T-/) } });
    const ticketId = (ack as { result: { ticketId: string } }).result.ticketId;
    expect(me.notices().at(-1)?.body.text).toBe(`Complaint ${ticketId} received. We will look into it and answer within 24 hours.`);
    expect(desk.inbox()?.tickets).toEqual([expect.objectContaining({ id: ticketId, buyerId: 'buyer-demo', complaint: { category: 'logistics', text: '快递员态度很差', orderId: 'XE10007' } })]);
    expect(me.command({ type: 'complaint.submit', complaint: { category: 'logistics', text: 'about their order', orderId: 'XE20001' } })).toMatchObject({ kind: 'nack', error: { code: 'not-found' } });
    expect(me.command({ type: 'complaint.submit', complaint: { category: 'other', text: '   ' } })).toMatchObject({ kind: 'nack', error: { reason: 'complaint-invalid', fields: [{ path: 'text', code: 'text-required' }] } });
  });

  it('records "was this helpful?" on bot answers and shows hot, failing and unanswered questions on the desk', () => {
    const { backend } = makeBackend();
    const b = connectBuyer(backend);
    const desk = connectDesk(backend);
    b.say('How long does a refund take?');
    const answer = b.messages().at(-1)!;
    expect(answer.body).toMatchObject({ faqId: 'refund-time', suggestions: [{ action: 'open-after-sales' }, { action: 'handoff' }] });
    b.say('Where is my parcel?');
    expect(b.messages().at(-1)!.body).toMatchObject({ faqId: 'track-parcel', suggestions: [{ action: 'open-orders' }, { action: 'handoff' }] });
    b.say('How long does a refund take?');
    b.say('Do you ship to Antarctica by penguin?');
    expect(b.command({ type: 'faq.feedback', messageId: answer.id, helpful: false })).toMatchObject({ kind: 'ack' });
    expect(b.command({ type: 'faq.feedback', messageId: b.messages()[0]!.id, helpful: true })).toMatchObject({ kind: 'nack', error: { code: 'not-found' } });

    const stats = desk.inbox()!.faqStats;
    expect(stats.hot[0]).toMatchObject({ faqId: 'refund-time', answered: 2 });
    expect(stats.failing).toEqual([{ faqId: 'refund-time', question: 'How long does a refund take?', helpful: 0, unhelpful: 1 }]);
    expect(stats.unanswered).toEqual([expect.objectContaining({ text: 'do you ship to antarctica by penguin', count: 1 })]);
  });

  it('serves the FAQ for the help center in the asked locale', () => {
    const b = connectBuyer(makeBackend().backend);
    const zh = b.query({ type: 'faq.entries', locale: 'zh-CN' });
    const entries = zh.kind === 'result' ? (zh.result as { entries: { locale: string; id: string }[] }).entries : [];
    expect(entries.length).toBeGreaterThan(3);
    expect(new Set(entries.map((e) => e.locale))).toEqual(new Set(['zh-CN']));
  });

  it('pages older messages newest first, only from the buyer\'s own conversation', () => {
    const b = connectBuyer(makeBackend().backend);
    for (let i = 0; i < 5; i++) b.say(`message ${i}`);
    const lastSeq = b.events().at(-1)!.seq;
    const page = b.query({ type: 'messages.page', beforeSeq: lastSeq, limit: 3 });
    const messages = page.kind === 'result' ? (page.result as { messages: Message[] }).messages : [];
    expect(messages.map((m) => m.seq)).toEqual([lastSeq - 1, lastSeq - 2, lastSeq - 3]);
    expect(new Set(messages.map((m) => m.conversationId))).toEqual(new Set([b.ready.conversationId]));
  });
});

describe('SupportBackend: restart', () => {
  it('restores orders, cases, photos, tickets, left messages, ratings, feedback and command results from its records', () => {
    const records: BackendRecord[] = [];
    const { backend } = makeBackend({ persist: (r) => records.push(r) });
    const me = demoBuyer(backend);
    me.command({ type: 'order.cancel', orderId: 'XE10009' });
    const photo = me.upload('evidence-1');
    const open = me.command({ type: 'case.open', orderId: 'XE10006', request: { type: 'return-and-refund', lines: [{ lineId: 'L1', quantity: 1 }], reason: 'no-longer-needed', amount: { amount: 12800, currency: 'CNY' }, description: '', photos: [{ id: 'evidence-1', slot: 'item-received' }] } }, 'open-1');
    const caseId = (open as { result: { caseId: string } }).result.caseId;
    me.command({ type: 'complaint.submit', complaint: { category: 'other', text: 'slow' } });
    const { sessionId } = endedSession(backend, me);
    me.command({ type: 'rating.submit', rating: { sessionId, score: 4, tags: [] } });
    me.command({ type: 'message.leave', contact: 'me@example.com', text: 'call me' });

    const restored = new SupportBackend({ idPrefix: 'later' });
    restored.restore(JSON.parse(JSON.stringify(records)) as BackendRecord[]);
    expect(restored.order('XE10009')).toEqual(backend.order('XE10009'));
    expect(restored.afterSalesCase(caseId)).toEqual(backend.afterSalesCase(caseId));
    const token = (photo as { result: { url: string } }).result.url.split('/').pop()!;
    expect(restored.photo(token)?.mime).toBe('image/png');
    const before = backend.deskInbox();
    const after = restored.deskInbox();
    expect(after.tickets).toEqual(before.tickets);
    expect(after.leftMessages).toEqual(before.leftMessages);
    expect(after.ratings).toEqual(before.ratings);

    const again = demoBuyer(restored, { conversationId: me.ready.conversationId });
    expect(again.ready.conversationId).toBe(me.ready.conversationId);
    // A resend after the restart gets the same answer, case id included.
    expect(again.command({ type: 'case.open', orderId: 'XE10006', request: { type: 'return-and-refund', lines: [{ lineId: 'L1', quantity: 1 }], reason: 'no-longer-needed', amount: { amount: 12800, currency: 'CNY' }, description: '', photos: [] } }, 'open-1')).toEqual(open);
    expect(again.command({ type: 'rating.submit', rating: { sessionId, score: 1, tags: [] } })).toMatchObject({ kind: 'nack', error: { reason: 'already-rated' } });
    // The desk in the restored backend still shows the case's evidence.
    const desk = connectDesk(restored);
    desk.send({ kind: 'desk.buyer.open', buyerId: 'buyer-demo' });
    expect(desk.last('desk.buyer')!.view.cases.find((c) => c.case.id === caseId)?.evidence).toEqual([{ photoId: 'evidence-1', slot: 'item-received', url: `/xiaoer/photos/${token}` }]);
  });
});
