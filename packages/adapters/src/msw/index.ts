export { createXiaoerHandlers, type XiaoerHandlersOptions, type XiaoerHandlers } from './handlers.js';
