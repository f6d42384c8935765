import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { compiledDefine, FUNCTION_BUNDLING } from '../infra/bundling.ts';
import { parseConfigText } from '../shared/config/load.ts';
import { numberingForConfig } from '../shared/routes/numbering-for.ts';
import { median, round } from './stats.ts';

const run = promisify(execFile);

export interface ColdStart {
  baseline: { bytes: number; import_ms: number };
  functions: { name: string; bytes: number; import_ms: number; import_ratio: number }[];
}

const BUNDLE_DIR = 'bench-results/bundles';
const SAMPLES = 7;

/** Imports `file` in a fresh Node process and prints how long the import took. */
const importTime = async (file: string): Promise<number> => {
  const script = `const t = performance.now(); await import(${JSON.stringify(`./${file}`)}); console.log(performance.now() - t);`;
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    times.push(Number(stdout.trim()));
  }
  return median(times);
};

const bundle = async (entry: string, out: string, define: Record<string, string>) => {
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourcemap,
    target: FUNCTION_BUNDLING.target,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    external: [...FUNCTION_BUNDLING.external],
    define,
    logLevel: 'silent',
  });
  return (await stat(out)).size;
};

/**
 * Each function's production bundle, built with the settings the CDK construct uses, and the
 * time a fresh Node process takes to import it, against a bundle that imports only the
 * DynamoDB client. The bundles stay in the project so the external AWS SDK resolves.
 */
export const measureColdStart = async (configFile: string): Promise<ColdStart> => {
  await mkdir(BUNDLE_DIR, { recursive: true });
  const text = await readFile(configFile, 'utf8');
  const configText = JSON.stringify(JSON.parse(text));
  const define = compiledDefine(configText, numberingForConfig(parseConfigText(text, configFile)));
  const baselineEntry = join(BUNDLE_DIR, 'baseline-entry.mjs');
  await writeFile(
    baselineEntry,
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = DynamoDBClient;\n",
  );
  const baselineOut = join(BUNDLE_DIR, 'baseline.mjs');
  const baselineBytes = await bundle(baselineEntry, baselineOut, {});
  const baselineMs = await importTime(baselineOut);

  const names = (await readdir('functions', { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const functions: ColdStart['functions'] = [];
  for (const name of names) {
    const out = join(BUNDLE_DIR, `${name}.mjs`);
    const bytes = await bundle(`functions/${name}/handler.ts`, out, define);
    const ms = await importTime(out);
    functions.push({
      name,
      bytes,
      import_ms: round(ms, 1),
      import_ratio: round(ms / baselineMs),
    });
  }
  return { baseline: { bytes: baselineBytes, import_ms: round(baselineMs, 1) }, functions };
};
