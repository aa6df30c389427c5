export { startServer, type ServerOptions, type RunningServer } from './server.js';
export { RecordLog } from './record-log.js';
export { contentSecurityPolicy } from './static-files.js';
