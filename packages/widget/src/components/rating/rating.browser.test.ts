import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { html } from 'lit';
import '../../define.js';
import { connect } from '../../test-helpers/backend.js';
import { mount, recordNavigation, unmount } from '../../test-helpers/dom.js';

afterEach(unmount);

const ended = { phase: 'ended', agent: { id: 'a_1', name: 'Lin Xiao' }, sessionId: 's_1' } as const;
const star = (n: number) => page.getByRole('radio', { name: n === 1 ? '1 star' : `${n} stars`, exact: true });

describe('<xiaoer-rating>', () => {
  it('rates with a keyboard-operable star radio group, toggle tags and a comment, once', async () => {
    const { backend, client } = await connect({ routing: ended });
    await mount(html`<xiaoer-rating .client=${client} locale="en" session-id="s_1"></xiaoer-rating>`);
    const group = page.getByRole('radiogroup', { name: 'Rating' });
    await expect.element(group.getByRole('radio')).toHaveLength(5);
    for (const n of [1, 2, 3, 4, 5]) await expect.element(star(n)).not.toBeChecked();

    await star(3).click();
    await expect.element(star(3)).toBeChecked();
    await userEvent.keyboard('{ArrowRight}');
    await expect.element(star(4)).toBeChecked();
    await expect.element(star(3)).not.toBeChecked();
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}');
    await expect.element(star(2)).toBeChecked();

    const fast = page.getByRole('button', { name: 'Fast', exact: true });
    await expect.element(fast).toHaveAttribute('aria-pressed', 'false');
    await fast.click();
    await expect.element(fast).toHaveAttribute('aria-pressed', 'true');
    await fast.click();
    await expect.element(fast).toHaveAttribute('aria-pressed', 'false');
    await page.getByRole('button', { name: 'Friendly' }).click();
    await page.getByRole('button', { name: 'Solved my problem' }).click();
    await page.getByRole('textbox', { name: 'Comment (optional)' }).fill('  Quick and kind  ');
    await page.getByRole('button', { name: 'Submit rating' }).click();

    await expect.element(page.getByText('Thanks for your feedback!')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Submit rating' })).not.toBeInTheDocument();
    await expect.element(page.getByRole('radio')).not.toBeInTheDocument();
    await expect.poll(() => backend.commandsOf('rating.submit')).toEqual([
      { type: 'rating.submit', rating: { sessionId: 's_1', score: 2, tags: ['friendly', 'solved'], comment: 'Quick and kind' } },
    ]);
    backend.push({ type: 'routing.changed', routing: { phase: 'rated', sessionId: 's_1' } });
    await expect.element(page.getByText('Thanks for your feedback!')).toBeVisible();
    expect(backend.commandsOf('rating.submit')).toHaveLength(1);
  });

  it('asks for a score before sending', async () => {
    const { backend, client } = await connect({ routing: ended });
    await mount(html`<xiaoer-rating .client=${client} locale="en" session-id="s_1"></xiaoer-rating>`);
    await page.getByRole('button', { name: 'Submit rating' }).click();
    await expect.element(page.getByRole('alert')).toHaveTextContent('Choose 1 to 5 stars.');
    expect(backend.commands()).toHaveLength(0);
  });

  it('only thanks for a session already rated, and leads to a complaint', async () => {
    const { client } = await connect({ routing: { phase: 'rated', sessionId: 's_1' } });
    await mount(html`<xiaoer-rating .client=${client} locale="zh-CN" session-id="s_1"></xiaoer-rating>`);
    await expect.element(page.getByText('感谢您的评价！')).toBeVisible();
    await expect.element(page.getByRole('radio')).not.toBeInTheDocument();
    const nav = recordNavigation();
    await page.getByRole('button', { name: '投诉' }).click();
    expect(nav.routes).toEqual([{ view: 'complaint' }]);
    nav.stop();
  });

  it('names the stars in Chinese', async () => {
    const { client } = await connect({ routing: ended });
    await mount(html`<xiaoer-rating .client=${client} locale="zh-CN" session-id="s_1"></xiaoer-rating>`);
    for (const n of [1, 2, 3, 4, 5]) await expect.element(page.getByRole('radio', { name: `${n} 星` })).toBeInTheDocument();
    await expect.element(page.getByRole('radiogroup', { name: '评分' })).toBeVisible();
  });
});
