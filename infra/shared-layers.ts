/**
 * Which imports inside `shared/` run upwards, against the layers below
 * (a folder may import its own layer and those beneath it). Counted twice: every import, and
 * only those that survive compilation (type imports vanish from the bundles but still tie the
 * code together). `npm run deps:layers` prints them; a test holds the ones at run time.
 */
import madge from 'madge';

/** The folders of `shared/`, lowest first. */
const LAYERS: readonly (readonly string[])[] = [
  ['json', 'validation', 'logging'],
  ['http', 'jsonrpc', 'queue'],
  ['secrets'],
  ['routes', 'senders'],
  ['calls'],
  ['backends', 'pacing', 'guardrails'],
  // The config's schema is built from the senders' and backends' own (their registries).
  ['config'],
  ['dispatch', 'events', 'callbacks', 'ingest', 'probe'],
  ['adapters', 'contract'],
];

const layerOf = (file: string): number => {
  const folder = file.split('/')[0] ?? '';
  const layer = LAYERS.findIndex((folders) => folders.includes(folder));
  if (layer === -1) throw new Error(`shared/${folder} has no layer in infra/deps-layers.ts`);
  return layer;
};

/** The imports inside `shared/` that run upwards, as `from → to`, type imports included or not. */
export const upwardImports = async (skipTypeImports: boolean): Promise<string[]> => {
  const graph = (
    await madge('shared', {
      fileExtensions: ['ts'],
      tsConfig: 'tsconfig.json',
      detectiveOptions: { ts: { skipTypeImports }, tsx: { skipTypeImports } },
    })
  ).obj();
  return Object.entries(graph).flatMap(([file, imports]) =>
    imports
      // Outside shared/ (the package's own manifest, say) is no layer of it.
      .filter((target) => !target.startsWith('..') && layerOf(target) > layerOf(file))
      .map((t) => `${file} → ${t}`),
  );
};
