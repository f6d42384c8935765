import { buildSync } from 'esbuild';

/**
 * Builds a browser page's own script (`<dir>/src/main.ts`, bundled) and stylesheet, both
 * minified. Synchronous and in memory, so the CDK stack (whose constructors cannot wait) and the
 * local runtime build it the same way, and no build step comes before `npm start`. The page is
 * its own code and nothing else: an import of a package or of the server's code is refused.
 */
export const buildPageAssets = (
  dir: string,
  name: string,
  stylesheet: string,
): { js: string; css: string } => {
  const result = buildSync({
    absWorkingDir: dir,
    entryPoints: ['src/main.ts', stylesheet],
    outdir: 'out',
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
  });
  const foreign = Object.keys(result.metafile.inputs).filter(
    (input) => !input.startsWith('src/') && input !== stylesheet,
  );
  if (foreign.length > 0)
    throw new Error(`the ${name} may import only ${name}/src; it imports ${foreign.join(', ')}`);
  const output = (extension: string): string => {
    const file = result.outputFiles.find((candidate) => candidate.path.endsWith(extension));
    if (file === undefined) throw new Error(`the ${name} build made no ${extension} file`);
    return file.text;
  };
  return { js: output('.js'), css: output('.css') };
};
