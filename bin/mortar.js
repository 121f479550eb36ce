#!/usr/bin/env node
// The `mortar` command. Built sources live in dist/; run `npm run build` first.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
