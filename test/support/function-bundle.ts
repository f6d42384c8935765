import { build } from 'esbuild';
import { compiledDefine, FUNCTION_BUNDLING, functionEntry } from '../../infra/bundling.ts';
import { loadConfigFile } from '../../shared/config/load.ts';
import { numberingForConfig } from '../../shared/routes/numbering-for.ts';

/**
 * A function's production bundle in memory, built as the CDK construct builds it
 * (`infra/bundling.ts`) with what the CDK app compiles in for the example config, and its
 * metafile, so a test can ask what the bundle carries or run it.
 */
export const buildFunctionBundle = async (name: string) => {
  const config = await loadConfigFile('infra/aws/example.config.json');
  return build({
    entryPoints: [functionEntry(name)],
    bundle: true,
    write: false,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    target: FUNCTION_BUNDLING.target,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    external: [...FUNCTION_BUNDLING.external],
    define: compiledDefine(config, numberingForConfig(config)),
    metafile: true,
    logLevel: 'silent',
  });
};
