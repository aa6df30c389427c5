import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { html } from 'lit';
import '../../define.js';
import { connect } from '../../test-helpers/backend.js';
import { mount, unmount } from '../../test-helpers/dom.js';

afterEach(unmount);

describe('<xiaoer-complaint-form>', () => {
  it('validates with core rules, then files the complaint', async () => {
    const { backend, client } = await connect();
    await mount(html`<xiaoer-complaint-form .client=${client} locale="en" order-id="o_1"></xiaoer-complaint-form>`);
    const category = page.getByRole('combobox', { name: 'What is it about?' });
    const text = page.getByRole('textbox', { name: 'What happened?' });
    await expect.element(page.getByRole('textbox', { name: 'Order number (optional)' })).toHaveValue('o_1');

    await page.getByRole('button', { name: 'Send complaint' }).click();
    await expect.element(category).toHaveAccessibleDescription('Choose a topic.');
    await expect.element(text).toHaveAccessibleDescription('Tell us what happened. 0/1000 characters');
    expect(backend.commands()).toHaveLength(0);

    await category.selectOptions('logistics');
    await text.fill('  The courier left it in the rain.  ');
    await page.getByRole('button', { name: 'Send complaint' }).click();
    await expect.element(page.getByRole('heading', { name: 'Complaint received' })).toBeVisible();
    expect(backend.commandsOf('complaint.submit')).toEqual([
      { type: 'complaint.submit', complaint: { category: 'logistics', text: 'The courier left it in the rain.', orderId: 'o_1' } },
    ]);
  });
});
