export { shareAcrossTabs, type ShareAcrossTabsOptions, type LockManagerLike, type BroadcastChannelLike } from './share-across-tabs.js';
