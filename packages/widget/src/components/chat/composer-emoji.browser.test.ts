// The composer's emoji button: a picker above the box that puts emoji where the caret is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../define.js';
import { openChat } from '../../test-helpers/chat.js';
import { deepActiveElement, unmount } from '../../test-helpers/dom.js';

beforeEach(async () => {
  await page.viewport(1024, 768);
});
afterEach(unmount);

async function openComposer(locale = 'en') {
  const connected = await openChat({}, locale);
  const textarea = connected.chat.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
  return { ...connected, textarea };
}

const button = (name: string) => page.getByRole('button', { name, exact: true });
const picker = () => page.getByRole('group', { name: 'Emoji' });

describe('<xiaoer-chat> composer emoji', () => {
  it('opens a picker from the emoji button, focused, and puts a picked emoji at the caret', async () => {
    const { textarea, chat } = await openComposer();
    const toggle = button('Emoji');
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.type(textarea, 'Hello world');
    textarea.setSelectionRange(5, 5);
    await toggle.click();
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect.element(picker()).toBeVisible();
    // The keyboard is in the grid, on its first emoji.
    await expect.poll(deepActiveElement).toBe(picker().getByRole('button').first().element());
    // The popover sits above the composer, inside the panel.
    const popover = chat.shadowRoot!.querySelector('[part~="emoji-popover"]')!.getBoundingClientRect();
    const composer = chat.shadowRoot!.querySelector('[part~="composer"]')!.getBoundingClientRect();
    const panel = chat.shadowRoot!.querySelector('[part~="panel"]')!.getBoundingClientRect();
    expect(popover.bottom).toBeLessThanOrEqual(composer.top);
    expect(popover.left).toBeGreaterThanOrEqual(panel.left);
    expect(popover.right).toBeLessThanOrEqual(panel.right);

    await picker().getByRole('button', { name: '👍', exact: true }).click();
    expect(textarea.value).toBe('Hello👍 world');
    await picker().getByRole('button', { name: '🎉', exact: true }).click();
    expect(textarea.value).toBe('Hello👍🎉 world'); // still open for more, at the moved caret
  });

  it('closes on Escape with the focus back on the emoji button, and the panel stays open', async () => {
    const { chat } = await openComposer();
    await button('Emoji').click();
    await expect.element(picker()).toBeVisible();
    await userEvent.keyboard('{Escape}');
    await expect.element(picker()).not.toBeInTheDocument();
    await expect.element(button('Emoji')).toHaveAttribute('aria-expanded', 'false');
    await expect.poll(deepActiveElement).toBe(button('Emoji').element());
    expect(chat.open).toBe(true);
  });

  it('closes when the buyer goes back to typing, or presses the button again', async () => {
    const { textarea } = await openComposer();
    await button('Emoji').click();
    await expect.element(picker()).toBeVisible();
    await userEvent.click(textarea);
    await expect.element(picker()).not.toBeInTheDocument();
    await button('Emoji').click();
    await expect.element(picker()).toBeVisible();
    await button('Emoji').click();
    await expect.element(picker()).not.toBeInTheDocument();
  });

  it('sends the picked emoji with the text', async () => {
    const { textarea, backend } = await openComposer();
    await userEvent.type(textarea, 'Thanks');
    await button('Emoji').click();
    await picker().getByRole('button', { name: '🙏', exact: true }).click();
    await button('Send').click();
    await expect.poll(() => backend.commandsOf('message.send').map((c) => c.body)).toEqual([{ kind: 'text', text: 'Thanks🙏' }]);
  });

  it('is labelled in the buyer\'s language', async () => {
    await openComposer('zh-CN');
    await button('表情').click();
    await expect.element(page.getByRole('group', { name: '表情' })).toBeVisible();
  });
});
