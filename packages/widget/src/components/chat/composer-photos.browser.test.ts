// Photos in the composer: picked, pasted or dropped, they wait as thumbnails (with Remove) until
// Send, are checked on the device at once, and go out in order before the words typed with them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../define.js';
import type { connect } from '../../test-helpers/backend.js';
import { openChat } from '../../test-helpers/chat.js';
import { deepActiveElement, noisyPng, tinyPng, unmount } from '../../test-helpers/dom.js';

beforeEach(async () => {
  await page.viewport(1024, 768);
});
afterEach(unmount);

async function openComposer(locale = 'en') {
  const connected = await openChat({}, locale);
  const { chat } = connected;
  const photoInput = page.elementLocator(chat.shadowRoot!.querySelector('.photo-input')!);
  const textarea = chat.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
  return { ...connected, photoInput, textarea };
}

const pending = () => page.getByRole('list', { name: 'Photos to send' });
const thumbnails = () => pending().getByRole('img');
const button = (name: string) => page.getByRole('button', { name, exact: true });
const types = (backend: Awaited<ReturnType<typeof connect>>['backend']) => backend.commands().map((c) => (c.command.type === 'message.send' ? `send:${c.command.body.kind}` : c.command.type));

/** A DataTransfer holding `files` (and text, when given), as a paste or a drop carries. */
function transfer(files: File[], text?: string): DataTransfer {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  if (text !== undefined) data.setData('text/plain', text);
  return data;
}

describe('<xiaoer-chat> composer photos', () => {
  it('keeps picked photos as thumbnails until Send, then sends them in order before the words typed with them', async () => {
    const { backend, photoInput, textarea } = await openComposer();
    await userEvent.upload(photoInput, [await tinyPng('a.png'), await noisyPng(12, 12, 'b.png')]);
    await expect.element(thumbnails()).toHaveLength(2);
    await expect.element(thumbnails().first()).toHaveAccessibleName('Photo 1 to send');
    await expect.element(thumbnails().last()).toHaveAccessibleName('Photo 2 to send');
    expect(thumbnails().first().element().getAttribute('src')).toMatch(/^blob:/);
    expect(backend.commands()).toHaveLength(0); // nothing leaves before Send

    await userEvent.type(textarea, 'Both arrived broken');
    await button('Send').click();
    await expect.poll(() => types(backend)).toEqual(['photo.upload', 'send:image', 'photo.upload', 'send:image', 'send:text']);
    const uploads = backend.commandsOf('photo.upload');
    const images = backend.commandsOf('message.send').filter((c) => c.body.kind === 'image');
    expect(images.map((c) => (c.body.kind === 'image' ? c.body.photoId : null))).toEqual(uploads.map((u) => u.photoId));
    // The two files, in the order picked (the second is larger).
    expect(uploads[0]!.data.length).toBeLessThan(uploads[1]!.data.length);
    expect(backend.commandsOf('message.send').at(-1)!.body).toEqual({ kind: 'text', text: 'Both arrived broken' });
    await expect.element(pending()).not.toBeInTheDocument();
    expect(textarea.value).toBe('');
  });

  it('sends photos alone with Enter, without complaining that there is no text', async () => {
    const { backend, chat, photoInput, textarea } = await openComposer();
    await userEvent.upload(photoInput, await tinyPng());
    await expect.element(thumbnails()).toHaveLength(1);
    textarea.focus();
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => types(backend)).toEqual(['photo.upload', 'send:image']);
    expect(chat.shadowRoot!.querySelector('[part~="composer-error"]')!.textContent!.trim()).toBe('');
  });

  it('adds a pasted image to the photos to send, and leaves a paste of text to the box', async () => {
    const { backend, chat, textarea } = await openComposer();
    const imageOnly = new ClipboardEvent('paste', { clipboardData: transfer([await tinyPng('screenshot.png')]), bubbles: true, cancelable: true, composed: true });
    textarea.dispatchEvent(imageOnly);
    await expect.element(thumbnails()).toHaveLength(1);
    expect(imageOnly.defaultPrevented).toBe(true); // no file name pasted as text

    const withText = new ClipboardEvent('paste', { clipboardData: transfer([await tinyPng('copied.png')], 'caption'), bubbles: true, cancelable: true, composed: true });
    textarea.dispatchEvent(withText);
    await expect.element(thumbnails()).toHaveLength(2);
    expect(withText.defaultPrevented).toBe(false); // the text still goes into the box

    const textOnly = new ClipboardEvent('paste', { clipboardData: transfer([], 'just words'), bubbles: true, cancelable: true, composed: true });
    textarea.dispatchEvent(textOnly);
    expect(textOnly.defaultPrevented).toBe(false);
    await expect.element(thumbnails()).toHaveLength(2);
    expect(backend.commands()).toHaveLength(0);
    expect(chat.shadowRoot!.activeElement).toBe(textarea);
  });

  it('adds photos dropped on the composer', async () => {
    const { chat } = await openComposer();
    const composer = chat.shadowRoot!.querySelector('[part~="composer"]')!;
    const data = transfer([await tinyPng('dropped.png')]);
    const over = new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true, composed: true });
    composer.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(true); // the browser would otherwise open the file itself
    composer.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true, composed: true }));
    await expect.element(thumbnails()).toHaveLength(1);
  });

  it('takes a photo out with Remove, keeping the keyboard in the row, and never sends it', async () => {
    const { backend, photoInput, textarea } = await openComposer();
    await userEvent.upload(photoInput, [await tinyPng('a.png'), await noisyPng(12, 12, 'b.png')]);
    await expect.element(thumbnails()).toHaveLength(2);
    await button('Remove photo 1').click();
    await expect.element(thumbnails()).toHaveLength(1);
    // Focus moved to the Remove button of the photo that took its place.
    await expect.poll(deepActiveElement).toBe(button('Remove photo 1').element());
    await userEvent.keyboard('{Enter}');
    await expect.element(pending()).not.toBeInTheDocument();
    await expect.poll(deepActiveElement).toBe(textarea);
    await userEvent.type(textarea, 'never mind');
    await button('Send').click();
    await expect.poll(() => types(backend)).toEqual(['send:text']);
  });

  it('refuses what is not a photo at once, with the reason, and sends nothing', async () => {
    const { backend, photoInput } = await openComposer();
    await userEvent.upload(photoInput, new File(['not an image'], 'notes.png', { type: 'image/png' }));
    await expect.element(page.getByRole('alert')).toHaveTextContent('Choose a JPEG, PNG or WebP photo.');
    await expect.element(pending()).not.toBeInTheDocument();
    await button('Send').click();
    expect(backend.commands()).toHaveLength(0);
  });

  it('holds at most nine photos and says the others were left out', async () => {
    const { photoInput } = await openComposer();
    const files = await Promise.all(Array.from({ length: 10 }, (_, i) => tinyPng(`p${i}.png`)));
    await userEvent.upload(photoInput, files);
    await expect.element(thumbnails()).toHaveLength(9);
    await expect.element(page.getByRole('alert')).toHaveTextContent('Up to 9 photos at a time: the others were left out.');
  });

  it('speaks the buyer\'s language', async () => {
    const { photoInput } = await openComposer('zh-CN');
    await userEvent.upload(photoInput, await tinyPng());
    await expect.element(page.getByRole('list', { name: '待发送的图片' }).getByRole('img')).toHaveAccessibleName('待发送的第 1 张图片');
    await expect.element(button('移除第 1 张图片')).toBeVisible();
  });
});
