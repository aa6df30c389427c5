// `import '@xiaoer/widget'` registers <xiaoer-chat>; the classes come with it.
import './define.js';

export * from './elements.js';
