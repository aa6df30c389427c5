import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { html } from 'lit';
import '../../define.js';
import { connect } from '../../test-helpers/backend.js';
import { mount, recordNavigation, unmount } from '../../test-helpers/dom.js';

afterEach(unmount);

describe('<xiaoer-leave-message>', () => {
  it('checks contact and text, leaves the message, and confirms', async () => {
    const { backend, client } = await connect({ routing: { phase: 'offline', reason: 'closed-hours' } });
    await mount(html`<xiaoer-leave-message .client=${client} locale="en"></xiaoer-leave-message>`);
    await expect.element(page.getByText('Outside service hours — leave a message')).toBeVisible();
    const contact = page.getByRole('textbox', { name: 'Phone or e-mail' });
    const text = page.getByRole('textbox', { name: 'Your message' });

    await page.getByRole('button', { name: 'Leave message' }).click();
    await expect.element(contact).toHaveAccessibleDescription('Enter a phone number or e-mail. So we can reach you if you are not here when we answer.');
    await expect.element(text).toHaveAccessibleDescription('Write your message.');
    await contact.fill('call me maybe');
    await text.fill('Where is my refund?');
    await page.getByRole('button', { name: 'Leave message' }).click();
    await expect.element(contact).toHaveAttribute('aria-invalid', 'true');
    await expect.element(contact).toHaveAccessibleDescription(/Enter a valid phone number or e-mail\./);
    expect(backend.commands()).toHaveLength(0);

    await contact.fill(' 138 0013 8000 ');
    await page.getByRole('button', { name: 'Leave message' }).click();
    await expect.element(page.getByRole('heading', { name: 'Message received' })).toBeVisible();
    await expect.element(page.getByText('We will answer in this chat, and contact you at 138 0013 8000.')).toBeVisible();
    await expect.poll(() => backend.commandsOf('message.leave')).toEqual([{ type: 'message.leave', contact: '138 0013 8000', text: 'Where is my refund?' }]);

    const nav = recordNavigation();
    await page.getByRole('button', { name: 'Back to chat' }).click();
    expect(nav.routes).toEqual([{ view: 'chat' }]);
    nav.stop();
  });
});
