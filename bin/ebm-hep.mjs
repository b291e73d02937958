#!/usr/bin/env node
// Entry point of the `ebm-hep` command: loads the TypeScript engine through tsx and runs the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
