import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * The functions' schemas use Zod Mini, the functional build: a module of one schema imports in
 * about 2 ms where the classic API takes about 22 ms, and every cold start pays that. (The
 * config schema, which only the CLI and the CDK app run, keeps the classic API.) Mini loads no
 * locale, so without English every issue would read "Invalid input", and problem details quote
 * issues. Import it as a namespace (`import * as z`) so bundles keep only what they use.
 */
config(en());

export * from 'zod/mini';
