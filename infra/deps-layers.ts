/**
 * `npm run deps:layers`: the imports inside `shared/` that run upwards against its layers
 * (`shared-layers.ts`), type imports marked; the figure the architecture work is measured by,
 * beside `npm run deps:cycles`.
 */
import { upwardImports } from './shared-layers.ts';

const all = await upwardImports(false);
const runtime = await upwardImports(true);
console.log(all.map((arrow) => `  ${runtime.includes(arrow) ? '' : '(type) '}${arrow}`).join('\n'));
console.log(`${all.length} upward imports in shared/, ${runtime.length} of them at run time`);
