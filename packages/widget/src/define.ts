// The package's only side effect: registering the elements. Guarded, because a storefront may
// already load another copy of the widget (a script tag and an npm bundle on the same page).
import { XiaoerChat } from './components/chat/chat.js';

if (!customElements.get('xiaoer-chat')) customElements.define('xiaoer-chat', XiaoerChat);
