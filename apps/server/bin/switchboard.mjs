#!/usr/bin/env node
// The `switchboard` command. Runs the TypeScript sources through tsx, so a clone needs no build.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
