export { createXiaoerHandlers, type XiaoerHandlersOptions, type XiaoerHandlers, type LinkState } from './handlers.js';
