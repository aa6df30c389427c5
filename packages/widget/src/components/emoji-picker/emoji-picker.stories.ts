import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { framed } from '../../test-helpers/stories.js';

const meta: Meta = {
  title: 'Widget/xiaoer-emoji-picker',
  component: 'xiaoer-emoji-picker',
  render: (_args, { globals }) => framed(html`<xiaoer-emoji-picker locale=${globals.locale ?? 'zh-CN'}></xiaoer-emoji-picker>`),
};
export default meta;
type Story = StoryObj;

/** The composer's emoji grid on its own: Tab in, arrow keys, Home and End move; Enter picks; Escape asks to close. */
export const Grid: Story = {};
