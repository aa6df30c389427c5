import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { formatMoney, orderCard, type Message, type XiaoerClient } from '@xiaoer/core';
import { messageFrame } from '@xiaoer/core/test';
import '../../define.js';
import { cny, makeCase, makeOrder } from '../../test-helpers/backend.js';
import { openChat } from '../../test-helpers/chat.js';
import { deepActiveElement, tinyPng, unmount } from '../../test-helpers/dom.js';

beforeEach(async () => {
  await page.viewport(1024, 768);
});
afterEach(unmount);


const button = (name: string) => page.getByRole('button', { name, exact: true });
const heading = (name: string) => page.getByRole('heading', { name, exact: true });
const composer = () => page.getByRole('textbox', { name: 'Message' });
const bot = (seq: number, body: Message['body']) => messageFrame(seq, { author: { role: 'bot' }, body });

describe('<xiaoer-chat> views', () => {
  it('opens views from the quick actions, focuses each heading, and comes back with Back', async () => {
    await openChat({ setup: (b) => b.onQuery('orders.list', () => ({ orders: [], nextCursor: null })).onQuery('cases.list', () => ({ cases: [] })).onQuery('faq.entries', () => ({ entries: [] })) });
    const chips = page.getByRole('list', { name: 'Quick actions' });
    await expect.element(chips.getByRole('button')).toHaveLength(4);

    for (const [chip, title] of [['My orders', 'My orders'], ['Returns & refunds', 'Returns & refunds'], ['Help center', 'Help center']] as const) {
      await chips.getByRole('button', { name: chip }).click();
      await expect.poll(deepActiveElement).toBe(heading(title).element());
      await expect.element(composer()).not.toBeInTheDocument();
      await button('Back').click();
      await expect.poll(deepActiveElement).toBe(composer().element());
    }
  });

  it('follows bot suggestions that open views', async () => {
    const { backend } = await openChat({ setup: (b) => b.onQuery('orders.list', () => ({ orders: [], nextCursor: null })).onQuery('faq.entries', () => ({ entries: [] })) });
    backend.receive(
      bot(1, {
        kind: 'text',
        text: 'I can help with that.',
        suggestions: [
          { label: 'Show my orders', action: 'open-orders' },
          { label: 'Start a return', action: 'open-after-sales' },
          { label: 'Browse help', action: 'open-help' },
          { label: 'Write to us', action: 'leave-message' },
        ],
      }),
    );
    for (const [label, title] of [['Show my orders', 'My orders'], ['Start a return', 'Returns & refunds'], ['Browse help', 'Help center'], ['Write to us', 'Leave a message']] as const) {
      await button(label).click();
      await expect.poll(deepActiveElement).toBe(heading(title).element());
      await button('Back').click();
    }
  });

  it('asks for a person while agents are on duty, and offers to leave a message when not', async () => {
    const { backend } = await openChat();
    await button('Talk to a person').click();
    await expect.poll(() => backend.commandsOf('handoff.request')).toHaveLength(1);
    unmount();

    const offline = await openChat({ routing: { phase: 'offline', reason: 'no-agent' } });
    await button('Talk to a person').click();
    await expect.poll(deepActiveElement).toBe(heading('Leave a message').element());
    await expect.element(page.getByText('No agent available — leave a message').last()).toBeVisible();
    expect(offline.backend.commandsOf('handoff.request')).toHaveLength(0);
    unmount();

    const closed = await openChat({ agentsAvailable: false }, 'zh-CN');
    await page.getByRole('button', { name: '转人工' }).click();
    await expect.element(page.getByRole('heading', { name: '留言' })).toBeVisible();
    await page.getByRole('textbox', { name: '手机号或邮箱' }).fill('lin@example.com');
    await page.getByRole('textbox', { name: '留言内容' }).fill('明天能发货吗？');
    await page.getByRole('button', { name: '提交留言' }).click();
    await expect.element(page.getByRole('heading', { name: '留言已收到' })).toBeVisible();
    expect(closed.backend.commandsOf('message.leave')).toEqual([{ type: 'message.leave', contact: 'lin@example.com', text: '明天能发货吗？' }]);
    await page.getByRole('button', { name: '返回聊天' }).click();
    await expect.element(page.getByRole('textbox', { name: '输入消息' })).toBeVisible();
  });
});

describe('<xiaoer-chat> message bodies', () => {
  it('shows a photo from an https URL, opens it in an accessible viewer, and closes it', async () => {
    const { backend } = await openChat();
    backend.receive(messageFrame(1, { author: { role: 'agent', name: 'Lin Xiao' }, body: { kind: 'image', photoId: 'p_1', url: 'https://cdn.example/p_1.jpg' } }));
    backend.receive(messageFrame(2, { author: { role: 'buyer' }, body: { kind: 'image', photoId: 'p_2' } }));
    const photo = page.getByRole('img', { name: 'Photo' });
    await expect.element(photo).toHaveAttribute('src', 'https://cdn.example/p_1.jpg');
    await expect.element(page.getByText('[Photo]')).toBeVisible();

    await button('Photo').click();
    const viewer = page.getByRole('dialog', { name: 'Photo' });
    await expect.element(viewer).toBeVisible();
    await expect.poll(deepActiveElement).toBe(button('Close photo').element());
    await userEvent.keyboard('{Escape}');
    await expect.element(viewer).not.toBeInTheDocument();
    await expect.element(page.getByRole('dialog', { name: 'Customer service' })).toBeVisible(); // Escape closed only the viewer
    await expect.poll(deepActiveElement).toBe(button('Photo').element());

    await button('Photo').click();
    await button('Close photo').click();
    await expect.element(viewer).not.toBeInTheDocument();
  });

  it('renders order cards, product cards and notices as text, with their actions', async () => {
    const order = makeOrder();
    const { backend } = await openChat({ setup: (b) => b.onQuery('order.get', () => ({ order })).onQuery('cases.list', () => ({ cases: [makeCase()] })) });
    backend.receive(messageFrame(1, { author: { role: 'buyer' }, body: { kind: 'order-card', card: orderCard(order) } }));
    backend.receive(
      bot(2, { kind: 'product-card', productId: 'sku_1', title: '<b>Linen shirt</b>', price: cny(19900), url: 'https://shop.example/p/1', imageUrl: 'https://cdn.example/1.jpg' }),
    );
    backend.receive(messageFrame(3, { author: { role: 'system' }, body: { kind: 'notice', text: 'Your order o_1 has shipped.', ref: { type: 'order', id: 'o_1' } } }));
    backend.receive(messageFrame(4, { author: { role: 'system' }, body: { kind: 'notice', text: 'Your request as_1 moved.', ref: { type: 'case', id: 'as_1' } } }));

    const card = page.getByRole('listitem').filter({ hasText: 'T-shirt +1' });
    await expect.element(card).toHaveTextContent(`3 items · ${formatMoney(cny(13000), 'en')} · Delivered`);
    const product = page.getByRole('link', { name: 'View product' });
    await expect.element(product).toHaveAttribute('href', 'https://shop.example/p/1');
    await expect.element(product).toHaveAttribute('target', '_blank');
    await expect.element(product).toHaveAttribute('rel', 'noopener noreferrer');
    await expect.element(page.getByText('<b>Linen shirt</b>')).toBeVisible();

    await card.getByRole('button', { name: 'View order' }).click();
    await expect.element(heading('Order o_1')).toBeVisible();
    await button('Back').click();
    await page.getByRole('listitem').filter({ hasText: 'has shipped' }).getByRole('button', { name: 'View order' }).click();
    await expect.element(heading('Order o_1')).toBeVisible();
    await button('Back').click();
    await button('View request').click();
    await expect.element(heading('Return and refund')).toBeVisible();
  });

  it('shows an unknown status or reason from the server as plain text, never an inherited property', async () => {
    const { backend } = await openChat();
    backend.receive(messageFrame(1, { author: { role: 'buyer' }, body: { kind: 'order-card', card: { ...orderCard(makeOrder()), status: 'constructor' } } }));
    await expect.element(page.getByRole('listitem').filter({ hasText: 'T-shirt +1' })).toHaveTextContent(/· constructor/);
  });

  it('asks "Was this helpful?" under FAQ answers only, with toggle buttons', async () => {
    const { backend } = await openChat();
    backend.receive(bot(1, { kind: 'text', text: 'Refunds take 1–3 days.', faqId: 'f2' }));
    backend.receive(bot(2, { kind: 'text', text: 'Anything else?' }));
    const group = page.getByRole('group', { name: 'Was this helpful?' });
    await expect.element(group).toHaveLength(1);
    const helpful = group.getByRole('button', { name: 'Helpful', exact: true });
    const notHelpful = group.getByRole('button', { name: 'Not helpful' });
    await expect.element(helpful).toHaveAttribute('aria-pressed', 'false');
    await helpful.click();
    await expect.element(helpful).toHaveAttribute('aria-pressed', 'true');
    await notHelpful.click();
    await expect.element(helpful).toHaveAttribute('aria-pressed', 'false');
    await expect.element(notHelpful).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => backend.commandsOf('faq.feedback')).toEqual([
      { type: 'faq.feedback', messageId: 'm_1', helpful: true },
      { type: 'faq.feedback', messageId: 'm_1', helpful: false },
    ]);
  });
});

describe('<xiaoer-chat> composer, menu, rating', () => {
  it('sends a photo from the composer, and refuses what is not one', async () => {
    const { backend, chat } = await openChat();
    await expect.element(button('Send a photo')).toBeVisible();
    const input = page.elementLocator(chat.shadowRoot!.querySelector('.photo-input')!);
    await userEvent.upload(input, await tinyPng());
    await expect.element(page.getByRole('img', { name: 'Photo 1 to send' })).toBeVisible();
    await button('Send').click();
    await expect.poll(() => backend.commands().map((c) => c.command.type)).toEqual(['photo.upload', 'message.send']);
    const [upload] = backend.commandsOf('photo.upload');
    expect(backend.commandsOf('message.send')).toEqual([{ type: 'message.send', body: { kind: 'image', photoId: upload!.photoId } }]);
    expect(upload!.mime).toBe('image/png');

    await userEvent.upload(input, new File(['not an image'], 'notes.png', { type: 'image/png' }));
    await expect.element(page.getByRole('alert')).toHaveTextContent('Choose a JPEG, PNG or WebP photo.');
    expect(backend.commands()).toHaveLength(2);
  });

  it('downloads the transcript as a UTF-8 text file from the header menu', async () => {
    const { backend } = await openChat();
    backend.receive(bot(1, { kind: 'text', text: '您好，我是店小二' }));
    backend.receive(messageFrame(2, { author: { role: 'buyer' }, body: { kind: 'text', text: 'Where is my parcel?' } }));
    const blobs: Blob[] = [];
    const links: { download: string; href: string }[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => (blobs.push(blob as Blob), 'blob:transcript'));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      links.push({ download: this.download, href: this.href });
    });
    try {
      const more = button('More options');
      await expect.element(more).toHaveAttribute('aria-haspopup', 'menu');
      await more.click();
      await expect.element(more).toHaveAttribute('aria-expanded', 'true');
      const item = page.getByRole('menuitem', { name: 'Download transcript' });
      await expect.poll(deepActiveElement).toBe(item.element());
      await userEvent.keyboard('{ArrowDown}');
      await expect.poll(deepActiveElement).toBe(page.getByRole('menuitem', { name: 'Make a complaint' }).element());
      await userEvent.keyboard('{Escape}');
      await expect.element(page.getByRole('menu')).not.toBeInTheDocument();
      await expect.element(page.getByRole('dialog', { name: 'Customer service' })).toBeVisible();
      await expect.poll(deepActiveElement).toBe(more.element());

      await more.click();
      await item.click();
      await expect.poll(() => links.length).toBe(1);
      expect(links[0]!.download).toMatch(/^xiaoer-transcript-\d{4}-\d{2}-\d{2}\.txt$/);
      expect(links[0]!.href).toBe('blob:transcript');
      expect(blobs[0]!.type).toBe('text/plain;charset=utf-8');
      const text = await blobs[0]!.text();
      expect(text).toContain('您好，我是店小二');
      expect(text).toContain('You:\nWhere is my parcel?');
    } finally {
      createObjectURL.mockRestore();
      click.mockRestore();
    }
  });

  it('shows the rating card when an agent session ends, and thanks once rated', async () => {
    const { backend } = await openChat({ routing: { phase: 'agent', agent: { id: 'a_1', name: 'Lin Xiao' }, sessionId: 's_9' } });
    await expect.element(page.getByRole('radiogroup', { name: 'Rating' })).not.toBeInTheDocument();
    backend.push({ type: 'routing.changed', routing: { phase: 'ended', agent: { id: 'a_1', name: 'Lin Xiao' }, sessionId: 's_9' } });
    const log = page.getByRole('log', { name: 'Messages' });
    await expect.element(log.getByRole('radiogroup', { name: 'Rating' })).toBeVisible();
    await log.getByRole('radio', { name: '5 stars' }).click();
    await log.getByRole('button', { name: 'Submit rating' }).click();
    await expect.element(log.getByText('Thanks for your feedback!')).toBeVisible();
    expect(backend.commandsOf('rating.submit')).toEqual([{ type: 'rating.submit', rating: { sessionId: 's_9', score: 5, tags: [] } }]);
    backend.push({ type: 'routing.changed', routing: { phase: 'rated', sessionId: 's_9' } });
    await expect.element(log.getByText('Thanks for your feedback!')).toBeVisible();
    await expect.element(heading('Chat ended')).toBeVisible();
    await log.getByRole('button', { name: 'Make a complaint' }).click();
    await expect.element(heading('Make a complaint')).toBeVisible();
  });
});

describe('<xiaoer-chat> from an order to an after-sales case', () => {
  it('walks My orders → the order → Apply for after-sales → submit → the case page', async () => {
    const order = makeOrder();
    let opened: ReturnType<typeof makeCase> | undefined;
    const { backend, client } = await openChat({
      setup: (b) =>
        b
          .onQuery('orders.list', () => ({ orders: [order], nextCursor: null }))
          .onQuery('order.get', () => ({ order }))
          .onQuery('cases.list', () => ({ cases: opened ? [opened] : [] }))
          .onCommand('case.open', (command) => {
            opened = makeCase([], { id: 'as_7', order, request: command.request, openedAt: Date.now() - 60_000 });
            // The server announces the case, then acknowledges the command with its id.
            queueMicrotask(() => b.push({ type: 'case.updated', case: opened! }));
            return { result: { caseId: 'as_7' } };
          }),
    });
    await button('My orders').click();
    await button('Order o_1').click();
    await expect.element(heading('Order o_1')).toBeVisible();
    await expect.element(page.getByRole('list', { name: 'Logistics timeline' })).toBeVisible();
    await button('Apply for after-sales').click();
    await expect.poll(deepActiveElement).toBe(heading('Apply for after-sales').element());
    await page.getByRole('radio', { name: 'Return and refund' }).click();
    await page.getByRole('checkbox', { name: /Custom mug/ }).click();
    await page.getByRole('combobox', { name: 'Reason' }).selectOptions('quality-problem');
    await userEvent.upload(page.getByLabelText('Add photo: Defect close-up'), await tinyPng());
    await expect.element(page.getByText('Uploaded')).toBeVisible();
    await button('Submit request').click();

    await expect.element(heading('Return and refund')).toBeVisible();
    await expect.element(page.getByText('Waiting for the merchant')).toBeVisible();
    await expect.element(page.getByRole('list', { name: 'Case timeline' })).toBeVisible();
    expect(backend.commandsOf('case.open')[0]!.request).toMatchObject({ type: 'return-and-refund', reason: 'quality-problem', amount: { amount: 9000, currency: 'CNY' } });
    // The submitted form is not somewhere to go back to: Back leads to the order.
    await button('Back').click();
    await expect.element(heading('Order o_1')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'View request' })).toBeVisible();
    void (client as XiaoerClient);
  });
});
