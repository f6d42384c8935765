#!/usr/bin/env node
// `npx callhook …`: the CLI is TypeScript (infra/cli/main.ts), run through tsx like every other
// script of the project; tsImport loads it without a second process.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../infra/cli/main.ts', import.meta.url);
await main();
