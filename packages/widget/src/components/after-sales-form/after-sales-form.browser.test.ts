import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { html } from 'lit';
import { DAY_MS, MAX_PHOTO_BYTES, formatMoney, type Order } from '@xiaoer/core';
import '../../define.js';
import { connect, cny, makeOrder, orderAt, refuse } from '../../test-helpers/backend.js';
import { mount, noisyPng, recordNavigation, tinyPng, unmount } from '../../test-helpers/dom.js';
import { formatDateTime } from '../../internal/format.js';

afterEach(unmount);

async function showForm(order: Order, locale = 'en') {
  const connected = await connect({ setup: (b) => b.onQuery('order.get', () => ({ order })) });
  await connected.client.loadOrder(order.id);
  await mount(html`<xiaoer-after-sales-form .client=${connected.client} locale=${locale} order-id=${order.id}></xiaoer-after-sales-form>`);
  return connected;
}

const eligibility = () => page.getByRole('region', { name: 'What this order qualifies for' });
const radio = (name: string) => page.getByRole('radio', { name, exact: true });
const reason = () => page.getByRole('combobox', { name: 'Reason' });
const amount = () => page.getByRole('textbox', { name: 'Refund amount (CNY)' });
const submit = () => page.getByRole('button', { name: 'Submit request' });
const slotInput = (slot: string) => page.getByLabelText(`Add photo: ${slot}`, { exact: true });
const money = (minor: number) => formatMoney(cny(minor), 'en');

describe('<xiaoer-after-sales-form>: what the order qualifies for, first', () => {
  it('explains an open 7-day window with its end, the excluded category, fast refund and postage', async () => {
    const order = makeOrder();
    await showForm(order);
    const until = order.deliveredAt! + 7 * DAY_MS;
    await expect.element(eligibility()).toHaveTextContent('Refund only: available');
    await expect.element(eligibility()).toHaveTextContent('Return and refund: available');
    await expect.element(eligibility()).toHaveTextContent('Exchange: available');
    await expect.element(eligibility()).toHaveTextContent(`7-day no-reason return: open until ${formatDateTime(until, 'en')}.`);
    await expect.element(eligibility()).toHaveTextContent('Not covered by no-reason returns (custom-made): Custom mug.');
    await expect.element(eligibility()).toHaveTextContent(`Fast refund: available up to ${money(20000)} — the refund is paid as soon as you ship the return.`);
    await expect.element(eligibility()).toHaveTextContent('No return-shipping insurance: you pay the return postage');
    // The explanation comes before the form.
    const form = page.getByRole('radio', { name: 'Refund only' }).element();
    expect(eligibility().element().compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('explains a closed window, insurance and who pays for a quality reason', async () => {
    const now = Date.now();
    const order = makeOrder({
      deliveredAt: now - 10 * DAY_MS,
      policy: { ...makeOrder().policy, shippingInsurance: { covered: true, maxPayout: cny(1200) }, buyerFastRefundEligible: false },
    });
    await showForm(order);
    await expect.element(eligibility()).toHaveTextContent(`7-day no-reason return: closed on ${formatDateTime(order.deliveredAt! + 7 * DAY_MS, 'en')}.`);
    await expect.element(eligibility()).toHaveTextContent(`Return-shipping insurance: covered — it pays the return postage, up to ${money(1200)}.`);
    await expect.element(eligibility()).toHaveTextContent('Fast refund: not available. Your account does not qualify yet.');
    await radio('Return and refund').click();
    await reason().selectOptions('no-longer-needed');
    await submit().click();
    await expect.element(reason()).toHaveAccessibleDescription(
      `The no-reason window closed on ${new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(order.deliveredAt! + 7 * DAY_MS)}: choose another reason.`,
    );
    await reason().selectOptions('damaged');
    await expect.element(eligibility()).toHaveTextContent('For this reason the return postage is paid by the shipping insurance.');
  });

  it('explains why nothing is possible while the parcel is in transit, and shows no form', async () => {
    await showForm(orderAt('shipped'));
    await expect.element(eligibility()).toHaveTextContent('Refund only: not available — The parcel is on its way: wait for it, or refuse it at the door.');
    await expect.element(eligibility()).toHaveTextContent('Return and refund: not available — Only once the order is delivered.');
    await expect.element(eligibility()).toHaveTextContent('7-day no-reason return: counted from delivery. Only once the order is delivered.');
    await expect.element(page.getByText('This order cannot have an after-sales request right now.')).toBeVisible();
    await expect.element(submit()).not.toBeInTheDocument();
  });

  it('speaks Chinese', async () => {
    await showForm(makeOrder(), 'zh-CN');
    const region = page.getByRole('region', { name: '本订单可申请的服务' });
    await expect.element(region).toHaveTextContent('仅退款：可申请');
    await expect.element(region).toHaveTextContent('7天无理由退货：有效期至');
    await expect.element(region).toHaveTextContent('不支持无理由退货（定制商品）：Custom mug。');
    await expect.element(page.getByRole('radio', { name: '退货退款' })).toBeVisible();
    await expect.element(page.getByRole('button', { name: '提交申请' })).toBeVisible();
  });
});

describe('<xiaoer-after-sales-form>: the request', () => {
  it('prefills the refundable amount for the chosen lines, converts typed amounts exactly, and caps them', async () => {
    const { backend } = await showForm(makeOrder());
    await radio('Return and refund').click();
    await expect.element(amount()).toHaveValue('120.00');
    await expect.element(amount()).toHaveAccessibleDescription(`At most ${money(12000)}.`);
    await page.getByRole('checkbox', { name: /Custom mug/ }).click();
    await expect.element(amount()).toHaveValue('90.00');
    await page.getByRole('spinbutton', { name: 'Quantity of T-shirt' }).fill('1');
    await expect.element(amount()).toHaveValue('45.00');

    await reason().selectOptions('not-as-described');
    await amount().fill('45.01');
    await submit().click();
    await expect.element(amount()).toHaveAccessibleDescription(`More than can be refunded for these items (${money(4500)}). At most ${money(4500)}.`);
    await expect.element(amount()).toHaveAttribute('aria-invalid', 'true');

    await amount().fill('12.345');
    await expect.element(amount()).toHaveAccessibleDescription(/Enter an amount such as 12\.30\./);

    await amount().fill('12.30');
    await userEvent.upload(slotInput('Item received'), await tinyPng());
    await expect.element(page.getByText('Uploaded')).toBeVisible();
    await submit().click();
    await expect.poll(() => backend.commandsOf('case.open').map((c) => c.request.amount)).toEqual([{ amount: 1230, currency: 'CNY' }]);
  });

  it('asks for every photo of the reason’s checklist, and uploads each with its own state', async () => {
    const { backend } = await showForm(makeOrder());
    await radio('Refund only').click();
    await reason().selectOptions('damaged');
    await expect.element(page.getByText('Needed for this reason: Outer box, Shipping label, Defect close-up')).toBeVisible();
    for (const slot of ['Outer box', 'Shipping label', 'Defect close-up', 'Other photos']) await expect.element(slotInput(slot)).toBeInTheDocument();

    await submit().click();
    await expect.element(page.getByRole('alert').filter({ hasText: 'Please fix the marked fields.' })).toBeVisible();
    await expect.element(slotInput('Outer box')).toHaveAttribute('aria-invalid', 'true');
    await expect.element(page.getByRole('group', { name: /^Outer box/ })).toHaveAccessibleDescription('Add a photo: Outer box.');
    await expect.element(page.getByRole('group', { name: /^Shipping label/ })).toHaveAccessibleDescription('Add a photo: Shipping label.');
    expect(backend.commandsOf('case.open')).toHaveLength(0);

    backend.onCommand('photo.upload', () => 'hold');
    await userEvent.upload(slotInput('Outer box'), await tinyPng('box.png'));
    const photo = page.getByRole('img', { name: 'Outer box, photo 1' });
    await expect.element(photo).toBeVisible();
    expect(photo.element().getAttribute('src')).toMatch(/^blob:/);
    await expect.element(page.getByRole('status').filter({ hasText: 'Uploading…' })).toBeVisible();
    await submit().click();
    await expect.element(page.getByRole('alert').filter({ hasText: 'Wait for the photos to finish uploading.' })).toBeVisible();
    const upload = backend.commands().find((c) => c.command.type === 'photo.upload')!;
    backend.ack(upload.id, { photoId: upload.id, url: 'https://cdn.example/p.jpg' });
    await expect.element(page.getByRole('status').filter({ hasText: 'Uploaded' })).toBeVisible();
    await expect.element(page.getByRole('group', { name: /^Outer box/ })).not.toHaveAccessibleDescription('Add a photo: Outer box.');

    // Removing revokes the preview URL and frees the slot again.
    const src = photo.element().getAttribute('src')!;
    await page.getByRole('button', { name: 'Remove Outer box photo 1' }).click();
    await expect.element(photo).not.toBeInTheDocument();
    await expect(fetch(src)).rejects.toThrow();
  });

  it('keeps to 9 photos in all', async () => {
    await showForm(makeOrder());
    await radio('Return and refund').click();
    const files = await Promise.all(Array.from({ length: 10 }, (_, i) => tinyPng(`p${i}.png`)));
    await userEvent.upload(slotInput('Other photos'), files);
    await expect.element(page.getByRole('alert').filter({ hasText: 'At most 9 photos in all.' })).toBeVisible();
    await expect.element(page.getByRole('img', { name: /^Other photos, photo/ })).toHaveLength(9);
    await expect.element(page.getByText('9 of 9 photos')).toBeVisible();
    await expect.element(slotInput('Other photos')).toBeDisabled();
  });

  it('shrinks a large photo before uploading it', async () => {
    const { backend } = await showForm(makeOrder());
    await radio('Return and refund').click();
    await reason().selectOptions('quality-problem');
    await userEvent.upload(slotInput('Defect close-up'), await noisyPng(1600, 1200, 'big.png'));
    await expect.element(page.getByRole('status').filter({ hasText: 'Uploaded' })).toBeVisible();
    const [upload] = backend.commandsOf('photo.upload');
    expect(upload!.mime).toBe('image/jpeg');
    expect(atob(upload!.data).length).toBeLessThanOrEqual(MAX_PHOTO_BYTES);
  });

  it('offers a retry for an upload the server refused', async () => {
    const { backend } = await showForm(makeOrder());
    await radio('Return and refund').click();
    let refused = true;
    backend.onCommand('photo.upload', () => (refused ? refuse('photo-too-large') : {}));
    await userEvent.upload(slotInput('Other photos'), await tinyPng());
    await expect.element(page.getByRole('status').filter({ hasText: 'Upload failed' })).toBeVisible();
    refused = false;
    await page.getByRole('button', { name: 'Retry uploading Other photos photo 1' }).click();
    await expect.element(page.getByRole('status').filter({ hasText: 'Uploaded' })).toBeVisible();
    const ids = backend.commandsOf('photo.upload').map((c) => c.photoId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]); // the same upload, resent under its id
  });

  it('opens the case with the request as built, then goes to it', async () => {
    const { backend, client } = await showForm(makeOrder());
    backend.onCommand('case.open', () => ({ result: { caseId: 'as_42' } }));
    const nav = recordNavigation();
    await radio('Return and refund').click();
    await page.getByRole('checkbox', { name: /Custom mug/ }).click();
    await reason().selectOptions('damaged');
    await page.getByRole('textbox', { name: 'Description' }).fill('  The seam is torn.  ');
    await expect.element(page.getByRole('textbox', { name: 'Description' })).toHaveAccessibleDescription('17/500 characters');
    for (const slot of ['Outer box', 'Shipping label', 'Defect close-up']) await userEvent.upload(slotInput(slot), await tinyPng(`${slot}.png`));
    await expect.element(page.getByRole('status').filter({ hasText: 'Uploaded' })).toHaveLength(3);
    await submit().click();

    await expect.poll(() => nav.routes).toEqual([{ view: 'case', caseId: 'as_42', replace: true }]);
    const uploads = backend.commandsOf('photo.upload').map((c) => c.photoId);
    expect(backend.commandsOf('case.open')).toEqual([
      {
        type: 'case.open',
        orderId: 'o_1',
        request: {
          type: 'return-and-refund',
          lines: [{ lineId: 'L1', quantity: 2 }],
          reason: 'damaged',
          amount: { amount: 9000, currency: 'CNY' },
          description: 'The seam is torn.',
          photos: [
            { id: uploads[0], slot: 'outer-box' },
            { id: uploads[1], slot: 'shipping-label' },
            { id: uploads[2], slot: 'defect-close-up' },
          ],
        },
      },
    ]);
    expect(client.getSnapshot().outbox).toEqual([]);
    nav.stop();
  });

  it('shows every field error at once, and the server’s refusal', async () => {
    const { backend } = await showForm(makeOrder());
    await submit().click();
    await expect.element(page.getByRole('group', { name: 'What do you need?' })).toHaveAccessibleDescription('Choose what you need.');

    await radio('Exchange').click();
    await expect.element(amount()).not.toBeInTheDocument();
    await page.getByRole('spinbutton', { name: 'Quantity of T-shirt' }).fill('3');
    await page.getByRole('textbox', { name: 'Description' }).fill('x'.repeat(501));
    await submit().click();
    await expect.element(reason()).toHaveAccessibleDescription('Choose a reason.');
    await expect.element(page.getByRole('spinbutton', { name: 'Quantity of T-shirt' })).toHaveAccessibleDescription('You bought 2.');
    await expect.element(page.getByRole('textbox', { name: 'Description' })).toHaveAccessibleDescription('At most 500 characters. 501/500 characters');

    await page.getByRole('spinbutton', { name: 'Quantity of T-shirt' }).fill('1');
    await page.getByRole('checkbox', { name: /Custom mug/ }).click();
    await page.getByRole('textbox', { name: 'Description' }).fill('');
    await reason().selectOptions('size-exchange');
    backend.onCommand('case.open', () => refuse('request-invalid', { fields: [{ path: 'reason', code: 'reason-not-allowed' }] }));
    await submit().click();
    await expect.element(page.getByRole('alert').filter({ hasText: /./ }).first()).toHaveTextContent('The request is not valid: check the marked fields.');
    await expect.element(reason()).toHaveAccessibleDescription('This reason does not apply to this request.');
  });
});
