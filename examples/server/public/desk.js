// The agent desk: a small page where an agent sees queued conversations, takes one and replies.
// Plain DOM, text only (everything from buyers is untrusted), no inline script (strict CSP).
const params = new URLSearchParams(location.search);
const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/xiaoer/desk?${new URLSearchParams({
  key: params.get('key') ?? '',
  agent: params.get('agent') ?? '',
})}`;

const $ = (id) => document.getElementById(id);
const state = { agent: null, queue: [], conversations: new Map(), current: null };
let socket = null;
let retry = 0;
let typingTimer = 0;
let typingSent = 0;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

const bodyText = (m) => (m.body.kind === 'text' || m.body.kind === 'notice' ? m.body.text : `[${m.body.kind}]`);
const visitorLabel = (id) => `Visitor ${id.slice(-6)}`;

function send(frame) {
  if (socket?.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

function renderQueue() {
  const list = $('queue');
  list.replaceChildren(
    ...state.queue.map((item) =>
      el('li', {},
        el('strong', {}, `#${item.position} ${visitorLabel(item.visitorId)}`),
        el('p', { class: 'preview' }, item.preview || '(no message yet)'),
        el('button', { type: 'button', 'aria-label': `Take conversation with ${visitorLabel(item.visitorId)}`, onclick: () => send({ kind: 'desk.take', conversationId: item.conversationId }) }, 'Take'),
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
        el('button', { type: 'button', 'aria-current': String(c.id === state.current), onclick: () => select(c.id) }, `${visitorLabel(c.visitorId)}${c.routing.phase === 'ended' ? ' (ended)' : ''}`),
      ),
    ),
  );
}

function renderConversation() {
  const c = state.current ? state.conversations.get(state.current) : null;
  $('conversation-title').textContent = c ? `Conversation with ${visitorLabel(c.visitorId)}` : 'No conversation selected';
  $('messages').replaceChildren(
    ...(c?.messages ?? []).map((m) =>
      el('li', { class: m.author.role },
        el('span', { class: 'author' }, m.author.role === 'buyer' ? 'Buyer' : m.author.name ?? m.author.role),
        bodyText(m),
      ),
    ),
  );
  $('messages').lastElementChild?.scrollIntoView({ block: 'end' });
  $('reply-form').hidden = !c || c.routing.phase !== 'agent';
}

function select(id) {
  state.current = id;
  $('typing').textContent = '';
  renderMine();
  renderConversation();
}

function onFrame(frame) {
  switch (frame.kind) {
    case 'desk.ready':
      state.agent = frame.agent;
      $('who').textContent = `Signed in as ${frame.agent.name}`;
      state.queue = frame.queue;
      for (const c of frame.mine) state.conversations.set(c.id, c);
      renderQueue();
      renderMine();
      renderConversation();
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
      } else c.routing = frame.event.routing;
      renderMine();
      if (frame.conversationId === state.current) renderConversation();
      break;
    }
    case 'desk.typing':
      if (frame.conversationId === state.current) $('typing').textContent = frame.on ? 'Buyer is typing…' : '';
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
