// The entry of dist/xiaoer.js (see loader.ts). The widget module is imported by URL, at run time:
// the bundler must not follow it, so this stays a few kilobytes.
import { installLoader, widgetUrl, type WidgetModule } from './loader.js';

const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;
const url = widgetUrl(script);
installLoader(script, () => import(/* @vite-ignore */ url) as Promise<WidgetModule>);
