// @switchboard/server as a library: what tests of other apps (the portal's browser tests) need to
// start the whole server in-process.
export { startServer, type RunningServer, type StartOptions } from './server.ts';
export { loadConfig, type Config } from './config.ts';
