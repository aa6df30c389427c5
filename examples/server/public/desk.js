// The agent desk: a small page where an agent sees queued conversations, takes one and replies,
// and works the shop's side: ships orders, decides after-sales cases, answers left messages.
// Plain DOM, text only (everything from buyers is untrusted), no inline script (strict CSP).
const params = new URLSearchParams(location.search);
const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/xiaoer/desk?${new URLSearchParams({
  key: params.get('key') ?? '',
  agent: params.get('agent') ?? '',
})}`;

const $ = (id) => document.getElementById(id);
const state = {
  agent: null,
  queue: [],
  conversations: new Map(),
  current: null,
  inbox: { buyers: [], leftMessages: [], tickets: [], ratings: [], faqStats: { hot: [], failing: [], unanswered: [] } },
  buyerView: null,
  buyerId: null,
  /** Inline forms the agent opened (reject reason, replacement shipment), by key. */
  open: new Set(),
  /** What the agent typed into inline forms, by key, so a re-render keeps it. */
  drafts: new Map(),
};
let socket = null;
let retry = 0;
let typingTimer = 0;
let typingSent = 0;

/** Builds an element. `on…` props are listeners; false/undefined attributes are left out. Children are nodes or text. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === false || v === undefined || v === null) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'value') node.value = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

const when = (ms) => new Date(ms).toLocaleString();
/** Integer minor units to a display string; no float arithmetic on money. */
function money(m) {
  const digits = m.currency === 'JPY' || m.currency === 'KRW' ? 0 : 2;
  const s = String(m.amount).padStart(digits + 1, '0');
  const major = digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return m.currency === 'CNY' ? `¥${major}` : `${major} ${m.currency}`;
}
const words = (code) => String(code).replace(/-/g, ' ');

function bodyText(m) {
  switch (m.body.kind) {
    case 'text':
    case 'notice':
      return m.body.text;
    case 'order-card':
      return `[Order card] ${m.body.card.orderId}: ${m.body.card.title} · ${words(m.body.card.status)} · ${money(m.body.card.total)}`;
    case 'product-card':
      return `[Product] ${m.body.title} · ${money(m.body.price)}`;
    default:
      return `[${m.body.kind}]`;
  }
}

const visitorLabel = (c) => (c.buyer?.name ? c.buyer.name : `Visitor ${c.visitorId.slice(-6)}`);

function send(frame) {
  if (socket?.readyState !== WebSocket.OPEN) {
    $('status').textContent = 'Not connected — try again in a moment.';
    return false;
  }
  socket.send(JSON.stringify(frame));
  return true;
}

// ---------------------------------------------------------------- queue and conversations

function renderQueue() {
  $('queue').replaceChildren(
    ...state.queue.map((item) =>
      el('li', {},
        el('strong', {}, `#${item.position} ${visitorLabel(item)}`),
        el('p', { class: 'preview' }, item.preview || '(no message yet)'),
        el('button', { type: 'button', 'aria-label': `Take conversation with ${visitorLabel(item)}`, onclick: () => send({ kind: 'desk.take', conversationId: item.conversationId }) }, 'Take'),
      ),
    ),
  );
  $('queue-empty').hidden = state.queue.length > 0;
}

function renderMine() {
  const items = [...state.conversations.values()];
  $('mine').replaceChildren(
    ...items.map((c) =>
      el('li', {},
        el('button', { type: 'button', 'aria-current': String(c.id === state.current), onclick: () => select(c.id) },
          `${visitorLabel(c)}${c.routing.phase === 'agent' ? '' : ` (${c.routing.phase})`}`),
      ),
    ),
  );
}

function renderConversation() {
  const c = state.current ? state.conversations.get(state.current) : null;
  $('conversation-title').textContent = c ? `Conversation with ${visitorLabel(c)}` : 'No conversation selected';
  $('messages').replaceChildren(
    ...(c?.messages ?? []).map((m) => {
      const row = el('li', { class: m.author.role },
        el('span', { class: 'author' }, m.author.role === 'buyer' ? 'Buyer' : m.author.name ?? m.author.role),
        bodyText(m),
      );
      if (m.body.kind === 'image' && m.body.url) row.append(el('img', { src: m.body.url, alt: `Photo from the buyer (${m.body.photoId})`, class: 'photo' }));
      return row;
    }),
  );
  $('messages').lastElementChild?.scrollIntoView({ block: 'end' });
  $('reply-form').hidden = !c || c.routing.phase !== 'agent';
}

function select(id) {
  state.current = id;
  $('typing').textContent = '';
  renderMine();
  renderConversation();
  const buyer = state.conversations.get(id)?.buyer;
  if (buyer) openBuyer(buyer.id);
}

// ---------------------------------------------------------------- buyers, orders and cases

function openBuyer(buyerId) {
  state.buyerId = buyerId;
  send({ kind: 'desk.buyer.open', buyerId });
  renderBuyers();
}

function renderBuyers() {
  $('buyers').replaceChildren(
    ...state.inbox.buyers.map((b) =>
      el('li', {},
        el('button', { type: 'button', 'aria-current': String(b.id === state.buyerId), 'aria-label': `Show orders and cases of ${b.name ?? b.id}`, onclick: () => openBuyer(b.id) }, b.name ?? b.id),
      ),
    ),
  );
}

/** A text box whose value survives re-renders. */
function draftInput(key, label, initial, attrs = {}) {
  const id = `f-${key.replace(/[^\w-]/g, '_')}`;
  if (!state.drafts.has(key)) state.drafts.set(key, initial);
  return el('span', { class: 'field' },
    el('label', { for: id }, label),
    el(attrs.multiline ? 'textarea' : 'input', {
      id, value: state.drafts.get(key), required: true, maxlength: attrs.maxlength ?? 200, rows: attrs.multiline ? 2 : undefined,
      oninput: (e) => state.drafts.set(key, e.target.value),
    }),
  );
}

function renderOrder({ order, actions }) {
  const items = order.items.map((i) => `${i.title} × ${i.quantity}`).join('; ');
  const last = order.shipment?.events.at(-1);
  const card = el('li', { class: 'card' },
    el('h4', {}, `Order ${order.id} `, el('span', { class: `badge ${order.status}` }, words(order.status))),
    el('p', {}, items),
    el('p', { class: 'meta' }, `Paid ${money(order.totals.paid)}${order.refunded.amount > 0 ? ` · refunded ${money(order.refunded)}` : ''} · ordered ${when(order.createdAt)}`),
    el('p', { class: 'meta' }, `To ${order.address.name}, ${order.address.region} ${order.address.line1}`),
    order.shipment && el('p', { class: 'meta' }, `${order.shipment.carrier} ${order.shipment.waybillNumber}${last ? ` — ${when(last.at)} ${last.place}: ${last.text}` : ''}`),
  );
  if (actions.includes('ship')) {
    const form = el('form', { class: 'inline', onsubmit: (e) => {
      e.preventDefault();
      send({ kind: 'desk.order.ship', orderId: order.id, carrier: state.drafts.get(`carrier:${order.id}`), waybillNumber: state.drafts.get(`waybill:${order.id}`) });
    } },
      draftInput(`carrier:${order.id}`, `Carrier for order ${order.id}`, '顺丰速运 SF Express', { maxlength: 50 }),
      draftInput(`waybill:${order.id}`, `Waybill number for order ${order.id}`, `SF${String(Date.now()).slice(-12)}`, { maxlength: 40 }),
      el('button', { type: 'submit', 'aria-label': `Mark shipped order ${order.id}` }, 'Mark shipped'),
    );
    card.append(form);
  }
  if (actions.includes('deliver')) {
    card.append(el('div', { class: 'actions' },
      el('button', { type: 'button', 'aria-label': `Mark delivered order ${order.id}`, onclick: () => send({ kind: 'desk.order.deliver', orderId: order.id }) }, 'Mark delivered'),
    ));
  }
  return card;
}

const DEADLINE_LABEL = {
  merchantReplyBy: 'Merchant must reply by',
  buyerShipBy: 'Buyer must ship the return by',
  merchantReceiveBy: 'Merchant must confirm receipt by',
  escalateBy: 'Buyer may escalate until',
};

function caseAction(c, event, label) {
  return el('button', { type: 'button', 'aria-label': `${label} case ${c.id}`, onclick: () => send({ kind: 'desk.case.act', caseId: c.id, event }) }, label);
}

function toggle(key, focusId) {
  if (state.open.has(key)) state.open.delete(key);
  else state.open.add(key);
  renderBuyerPanel();
  if (focusId && state.open.has(key)) $(focusId)?.focus();
}

function renderCase({ case: c, deadline, evidence, actions }) {
  const r = c.request;
  const card = el('li', { class: 'card' },
    el('h4', {}, `Case ${c.id} `, el('span', { class: `badge ${c.state}` }, words(c.state))),
    el('p', {}, `${words(c.type)} for order ${c.orderId} · ${words(r.reason)} · ${money(r.amount)}`),
    r.description && el('p', { class: 'quote' }, r.description),
    el('p', { class: 'meta' }, `Opened ${when(c.createdAt)}${c.fastRefundEligible ? ' · fast refund' : ''}${c.returnPostagePayer ? ` · return postage: ${c.returnPostagePayer}` : ''}`),
    deadline && el('p', { class: 'deadline' }, `${DEADLINE_LABEL[deadline.kind] ?? deadline.kind} ${when(deadline.at)}`),
    c.rejection && el('p', { class: 'meta' }, `Rejected: ${c.rejection.reason}`),
    c.returnShipment && el('p', { class: 'meta' }, `Return: ${c.returnShipment.carrier} ${c.returnShipment.trackingNumber}`),
    c.refund && el('p', { class: 'meta' }, `Refunded ${money(c.refund.amount)}${c.refund.fast ? ' (fast refund)' : ''} on ${when(c.refund.paidAt)}`),
    c.outcome && el('p', { class: 'meta' }, `Outcome: ${words(c.outcome)}`),
  );
  if (evidence.length > 0) {
    card.append(el('div', { class: 'evidence' },
      ...evidence.map((p) => el('img', { src: p.url, alt: `Evidence photo for case ${c.id}: ${words(p.slot)}`, class: 'photo', loading: 'lazy' })),
    ));
  }
  card.append(el('ol', { class: 'timeline', 'aria-label': `Timeline of case ${c.id}` },
    ...c.timeline.map((t) => el('li', {}, `${when(t.at)} · ${words(t.type)} (${t.by})${t.note ? ` — ${t.note}` : ''}`)),
  ));

  const buttons = el('div', { class: 'actions' });
  if (actions.includes('approve')) buttons.append(caseAction(c, { type: 'approve' }, 'Approve'));
  if (actions.includes('reject')) {
    buttons.append(el('button', { type: 'button', 'aria-expanded': String(state.open.has(`reject:${c.id}`)), 'aria-label': `Reject case ${c.id}`, onclick: () => toggle(`reject:${c.id}`, `f-reason_${c.id.replace(/[^\w-]/g, '_')}`) }, 'Reject'));
  }
  if (actions.includes('receive-return')) buttons.append(caseAction(c, { type: 'receive-return' }, 'Confirm return received'));
  if (actions.includes('refund')) buttons.append(caseAction(c, { type: 'refund' }, 'Refund'));
  if (actions.includes('ship-replacement')) {
    buttons.append(el('button', { type: 'button', 'aria-expanded': String(state.open.has(`replace:${c.id}`)), 'aria-label': `Ship replacement case ${c.id}`, onclick: () => toggle(`replace:${c.id}`, `f-rcarrier_${c.id.replace(/[^\w-]/g, '_')}`) }, 'Ship replacement'));
  }
  if (actions.includes('rule')) {
    buttons.append(caseAction(c, { type: 'rule', ruling: 'for-buyer' }, 'Rule for buyer'), caseAction(c, { type: 'rule', ruling: 'for-merchant' }, 'Rule for merchant'));
  }
  if (buttons.childElementCount > 0) card.append(buttons);

  if (actions.includes('reject') && state.open.has(`reject:${c.id}`)) {
    card.append(el('form', { class: 'inline', onsubmit: (e) => {
      e.preventDefault();
      const reason = (state.drafts.get(`reason:${c.id}`) ?? '').trim();
      if (!reason) return;
      if (send({ kind: 'desk.case.act', caseId: c.id, event: { type: 'reject', reason } })) state.open.delete(`reject:${c.id}`);
    } },
      draftInput(`reason:${c.id}`, `Reason for rejecting case ${c.id}`, '', { multiline: true, maxlength: 500 }),
      el('button', { type: 'submit', 'aria-label': `Confirm rejection of case ${c.id}` }, 'Reject case'),
      el('button', { type: 'button', 'aria-label': `Cancel rejection of case ${c.id}`, onclick: () => toggle(`reject:${c.id}`) }, 'Cancel'),
    ));
  }
  if (actions.includes('ship-replacement') && state.open.has(`replace:${c.id}`)) {
    card.append(el('form', { class: 'inline', onsubmit: (e) => {
      e.preventDefault();
      const carrier = (state.drafts.get(`rcarrier:${c.id}`) ?? '').trim();
      const trackingNumber = (state.drafts.get(`rtracking:${c.id}`) ?? '').trim();
      if (!carrier || !trackingNumber) return;
      if (send({ kind: 'desk.case.act', caseId: c.id, event: { type: 'ship-replacement', carrier, trackingNumber } })) state.open.delete(`replace:${c.id}`);
    } },
      draftInput(`rcarrier:${c.id}`, `Carrier for the replacement of case ${c.id}`, '顺丰速运 SF Express', { maxlength: 50 }),
      draftInput(`rtracking:${c.id}`, `Tracking number for the replacement of case ${c.id}`, '', { maxlength: 40 }),
      el('button', { type: 'submit', 'aria-label': `Confirm replacement shipment of case ${c.id}` }, 'Send replacement'),
    ));
  }
  return card;
}

function renderBuyerPanel() {
  const view = state.buyerView;
  const shown = view && view.buyer.id === state.buyerId;
  $('buyer-title').textContent = shown ? `Orders and cases of ${view.buyer.name ?? view.buyer.id}` : 'No buyer selected';
  $('buyer-empty').hidden = Boolean(shown);
  $('buyer-panel').hidden = !shown;
  if (!shown) return;
  $('orders').replaceChildren(...view.orders.map(renderOrder));
  $('cases').replaceChildren(...view.cases.map(renderCase));
  $('cases-empty').hidden = view.cases.length > 0;
}

// ---------------------------------------------------------------- the shop's inbox

function renderInbox() {
  const { leftMessages, tickets, ratings, faqStats } = state.inbox;
  $('left-messages').replaceChildren(
    ...leftMessages.map((m) => {
      const card = el('li', { class: 'card' },
        el('h4', {}, `From ${m.contact} `, el('span', { class: `badge ${m.answer ? 'answered' : 'waiting'}` }, m.answer ? 'answered' : 'waiting')),
        el('p', { class: 'quote' }, m.text),
        el('p', { class: 'meta' }, `Left ${when(m.createdAt)} · ${m.id}${m.buyerId ? ` · buyer ${m.buyerId}` : ''}`),
      );
      if (m.answer) card.append(el('p', {}, `${m.answer.agent}: ${m.answer.text}`));
      else {
        card.append(el('form', { class: 'inline', onsubmit: (e) => {
          e.preventDefault();
          const text = (state.drafts.get(`answer:${m.id}`) ?? '').trim();
          if (!text) return;
          if (send({ kind: 'desk.left.answer', leftMessageId: m.id, id: `la_${crypto.randomUUID()}`, text })) state.drafts.set(`answer:${m.id}`, '');
        } },
          draftInput(`answer:${m.id}`, `Answer to ${m.contact}`, '', { multiline: true, maxlength: 20000 }),
          el('button', { type: 'submit', 'aria-label': `Send answer to left message ${m.id}` }, 'Send answer'),
        ));
      }
      return card;
    }),
  );
  $('left-empty').hidden = leftMessages.length > 0;

  $('tickets').replaceChildren(
    ...tickets.map((t) => el('li', { class: 'card' },
      el('h4', {}, `Complaint ${t.id} `, el('span', { class: 'badge' }, words(t.complaint.category))),
      el('p', { class: 'quote' }, t.complaint.text),
      el('p', { class: 'meta' }, `${when(t.createdAt)}${t.complaint.orderId ? ` · order ${t.complaint.orderId}` : ''}${t.buyerId ? ` · buyer ${t.buyerId}` : ' · anonymous visitor'}`),
    )),
  );
  $('tickets-empty').hidden = tickets.length > 0;

  $('ratings').replaceChildren(
    ...ratings.map((r) => el('li', { class: 'card' },
      el('h4', {}, `${'★'.repeat(r.rating.score)}${'☆'.repeat(5 - r.rating.score)} ${r.rating.score}/5`),
      r.rating.tags.length > 0 && el('p', {}, r.rating.tags.map(words).join(', ')),
      r.rating.comment && el('p', { class: 'quote' }, r.rating.comment),
      el('p', { class: 'meta' }, `${when(r.at)} · session ${r.rating.sessionId}${r.agentId ? ` · ${r.agentId}` : ''}`),
    )),
  );
  $('ratings-empty').hidden = ratings.length > 0;

  const none = (text) => el('li', { class: 'empty' }, text);
  $('faq-hot').replaceChildren(...(faqStats.hot.length ? faqStats.hot.map((h) => el('li', {}, `${h.question} — answered ${h.answered}×`)) : [none('Nothing asked yet.')]));
  $('faq-failing').replaceChildren(...(faqStats.failing.length ? faqStats.failing.map((f) => el('li', {}, `${f.question} — ${f.unhelpful} not helpful, ${f.helpful} helpful`)) : [none('No complaints about answers.')]));
  $('faq-unanswered').replaceChildren(...(faqStats.unanswered.length ? faqStats.unanswered.map((u) => el('li', {}, `“${u.text}” — ${u.count}×, last ${when(u.lastAt)}`)) : [none('The FAQ answered everything.')]));
  renderBuyers();
}

// ---------------------------------------------------------------- the link

function onFrame(frame) {
  switch (frame.kind) {
    case 'desk.ready':
      state.agent = frame.agent;
      $('who').textContent = `Signed in as ${frame.agent.name}`;
      state.queue = frame.queue;
      for (const c of frame.mine) state.conversations.set(c.id, c);
      state.inbox = frame.inbox ?? state.inbox;
      renderQueue();
      renderMine();
      renderConversation();
      renderInbox();
      // After a reconnect, show the buyer we were looking at again.
      if (state.buyerId) send({ kind: 'desk.buyer.open', buyerId: state.buyerId });
      break;
    case 'desk.queue':
      state.queue = frame.queue;
      renderQueue();
      break;
    case 'desk.conversation':
      state.conversations.set(frame.conversation.id, frame.conversation);
      select(frame.conversation.id);
      break;
    case 'desk.event': {
      const c = state.conversations.get(frame.conversationId);
      if (!c) break;
      if (frame.event.type === 'message.created') {
        if (!c.messages.some((m) => m.id === frame.event.message.id)) c.messages.push(frame.event.message);
        if (frame.event.message.author.role === 'buyer' && frame.conversationId === state.current) $('typing').textContent = '';
      } else if (frame.event.type === 'routing.changed') c.routing = frame.event.routing;
      renderMine();
      if (frame.conversationId === state.current) renderConversation();
      break;
    }
    case 'desk.typing':
      if (frame.conversationId === state.current) $('typing').textContent = frame.on ? 'Buyer is typing…' : '';
      break;
    case 'desk.buyer':
      if (frame.view.buyer.id !== state.buyerId) break;
      state.buyerView = frame.view;
      renderBuyerPanel();
      break;
    case 'desk.inbox':
      state.inbox = frame.inbox;
      renderInbox();
      break;
    case 'desk.done':
      $('status').textContent = `Done: ${words(frame.action.replace(/^desk\./, ''))} ${frame.ref}`;
      break;
    case 'desk.error':
      $('status').textContent = frame.message;
      break;
  }
}

function connect() {
  socket = new WebSocket(socketUrl);
  socket.onopen = () => {
    retry = 0;
    $('status').textContent = '';
  };
  socket.onmessage = (event) => {
    try {
      onFrame(JSON.parse(event.data));
    } catch (error) {
      console.error('desk frame', error);
    }
  };
  socket.onclose = () => {
    $('status').textContent = 'Disconnected — reconnecting…';
    const delay = Math.random() * Math.min(10_000, 500 * 2 ** retry++);
    setTimeout(connect, delay);
  };
}

$('reply-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('reply').value.trim();
  if (!text || !state.current) return;
  // Kept in the box when the link is down, so the agent can send it again once reconnected.
  if (!send({ kind: 'desk.reply', conversationId: state.current, id: `d_${crypto.randomUUID()}`, text })) {
    $('status').textContent = 'Not connected — your reply was not sent.';
    return;
  }
  send({ kind: 'desk.typing', conversationId: state.current, on: false });
  typingSent = 0;
  $('reply').value = '';
});
$('reply').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $('reply-form').requestSubmit();
  }
});
$('reply').addEventListener('input', () => {
  if (!state.current) return;
  const now = Date.now();
  if (now - typingSent > 3000) {
    typingSent = now;
    send({ kind: 'desk.typing', conversationId: state.current, on: true });
  }
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    typingSent = 0;
    send({ kind: 'desk.typing', conversationId: state.current, on: false });
  }, 4000);
});
$('end').addEventListener('click', () => {
  if (state.current) send({ kind: 'desk.end', conversationId: state.current });
});

connect();
