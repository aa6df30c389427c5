// Browser-test support (not part of the package's API): a chat on a connected scripted backend.
import { html } from 'lit';
import { connect, type ConnectOptions } from './backend.js';
import { mount } from './dom.js';
import type { XiaoerChat } from '../components/chat/chat.js';

/** `<xiaoer-chat>` on a client connected to the scripted backend, mounted and open. */
export async function openChat(options: ConnectOptions = {}, locale = 'en') {
  const connected = await connect(options);
  const chat = await mount<XiaoerChat>(html`<xiaoer-chat .client=${connected.client} locale=${locale}></xiaoer-chat>`);
  await chat.show();
  return { ...connected, chat };
}
