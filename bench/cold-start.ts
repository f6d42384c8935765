import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { compiledDefine, FUNCTION_BUNDLING, functionEntry } from '../infra/bundling.ts';
import { parseConfigText } from '../shared/config/load.ts';
import { numberingForConfig } from '../shared/routes/numbering-for.ts';
import { median, round } from './stats.ts';

const run = promisify(execFile);

export interface ColdStart {
  baseline: { bytes: number; import_ms: number };
  /**
   * The AWS SDK clients the functions load (DynamoDB, its document client, SQS, Secrets
   * Manager) and nothing else, against the baseline: a function that needs them all cannot
   * import faster.
   */
  sdk_floor: { import_ms: number; import_ratio: number };
  functions: { name: string; bytes: number; import_ms: number; import_ratio: number }[];
}

const SDK_CLIENTS = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-sqs',
  '@aws-sdk/client-secrets-manager',
];

const BUNDLE_DIR = 'bench-results/bundles';
export const PAIRS = 9;

/** Imports `file` in a fresh Node process and returns how long the import took. */
const importOnce = async (file: string): Promise<number> => {
  const script = `const t = performance.now(); await import(${JSON.stringify(`./${file}`)}); console.log(performance.now() - t);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  return Number(stdout.trim());
};

/**
 * Imports `file` and the baseline in turns (alternating which goes first), so both see the
 * same moment of a busy machine; the ratio is the median of the pairs' ratios.
 */
const importAgainstBaseline = async (file: string, baseline: string) => {
  const ratios: number[] = [];
  const times: number[] = [];
  const baselineTimes: number[] = [];
  for (let i = 0; i < PAIRS; i += 1) {
    const first = i % 2 === 0;
    const before = await importOnce(first ? file : baseline);
    const after = await importOnce(first ? baseline : file);
    const [fileMs, baselineMs] = first ? [before, after] : [after, before];
    ratios.push(fileMs / baselineMs);
    times.push(fileMs);
    baselineTimes.push(baselineMs);
  }
  return { ms: median(times), baselineMs: median(baselineTimes), ratio: median(ratios) };
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
 * time a fresh Node process takes to import it, against a bundle that loads only the DynamoDB
 * client, with `require` as the functions do. The bundles stay in the project so the external
 * AWS SDK resolves.
 */
export const measureColdStart = async (configFile: string): Promise<ColdStart> => {
  await mkdir(BUNDLE_DIR, { recursive: true });
  const config = parseConfigText(await readFile(configFile, 'utf8'), configFile);
  const define = compiledDefine(config, numberingForConfig(config));
  const baselineEntry = join(BUNDLE_DIR, 'baseline-entry.mjs');
  // As the functions load the SDK (shared/adapters/aws/sdk/require-sdk.ts): with `require`.
  const requireLine =
    "import { createRequire } from 'node:module';\nconst load = createRequire(import.meta.url);\n";
  await writeFile(
    baselineEntry,
    `${requireLine}export const client = load('@aws-sdk/client-dynamodb').DynamoDBClient;\n`,
  );
  const baselineOut = join(BUNDLE_DIR, 'baseline.mjs');
  const baselineBytes = await bundle(baselineEntry, baselineOut, {});
  const baselineTimes: number[] = [];

  const sdkEntry = join(BUNDLE_DIR, 'sdk-floor-entry.mjs');
  await writeFile(
    sdkEntry,
    requireLine +
      SDK_CLIENTS.map((client, i) => `export const c${i} = load('${client}');\n`).join(''),
  );
  const sdkOut = join(BUNDLE_DIR, 'sdk-floor.mjs');
  await bundle(sdkEntry, sdkOut, {});
  const sdk = await importAgainstBaseline(sdkOut, baselineOut);
  baselineTimes.push(sdk.baselineMs);

  // A function is a folder with a Lambda entry (`functions/wiring` holds the shared adapters).
  const names = (await readdir('functions', { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && existsSync(functionEntry(entry.name)))
    .map((entry) => entry.name)
    .sort();
  const functions: ColdStart['functions'] = [];
  for (const name of names) {
    const out = join(BUNDLE_DIR, `${name}.mjs`);
    const bytes = await bundle(functionEntry(name), out, define);
    const timing = await importAgainstBaseline(out, baselineOut);
    baselineTimes.push(timing.baselineMs);
    functions.push({
      name,
      bytes,
      import_ms: round(timing.ms, 1),
      import_ratio: round(timing.ratio),
    });
  }
  return {
    baseline: { bytes: baselineBytes, import_ms: round(median(baselineTimes), 1) },
    sdk_floor: { import_ms: round(sdk.ms, 1), import_ratio: round(sdk.ratio) },
    functions,
  };
};

// `npm run bench:cold-start`: the bundle sizes and import ratios alone, without the rest of the bench.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await measureColdStart(process.argv[2] ?? 'infra/aws/example.config.json');
  console.log(`import: the SDK clients alone / baseline  ${result.sdk_floor.import_ratio}`);
  for (const fn of result.functions) {
    const kb = (fn.bytes / 1024).toFixed(0);
    console.log(`${fn.name.padEnd(12)} ${kb.padStart(4)} KB  import / baseline ${fn.import_ratio}`);
  }
}
