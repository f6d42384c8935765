import type { CallhookConfig } from '../../shared/config/schema.ts';
import { signsRequests } from '../../shared/senders/registry.ts';

const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;
/** Quoted only where the shell would read it otherwise. */
const shellWord = (text: string): string => (/^[\w./:@%+-]+$/.test(text) ? text : shellQuote(text));

/**
 * What `npm start` prints: where everything is, and per route a command that works as pasted: a
 * curl where the route takes a token, `npm run send` where its sender signs.
 */
export const banner = (input: {
  config: CallhookConfig;
  bridgeUrl: string;
  simulatorUrl: string;
  adminKey: string;
  dataDir: string | undefined;
  tokens: Record<string, string>;
  /** What `npm run send` needs set to reach this runtime (PORT, CALLHOOK_CONFIG…), if anything. */
  sendEnv?: Record<string, string>;
}): string => {
  const { config, bridgeUrl, simulatorUrl, adminKey } = input;
  const sendPrefix = Object.entries(input.sendEnv ?? {})
    .map(([name, value]) => `${name}=${shellWord(value)} `)
    .join('');
  const lines = [
    'callhook local runtime is up',
    `  bridge     ${bridgeUrl}`,
    `  simulator  ${simulatorUrl}/v4.0   (accepted calls: ${simulatorUrl}/_simulator/calls)`,
    `  data       ${input.dataDir ?? 'in memory (set CALLHOOK_DATA_DIR to keep it)'}`,
    '',
    'Routes',
  ];
  for (const [name, route] of Object.entries(config.routes)) {
    lines.push(`  POST ${bridgeUrl}/hooks/${name}   → ${route.call.method}`);
  }
  lines.push(`  GET  ${bridgeUrl}/calls/{call_id}   (Authorization: Bearer ${adminKey})`);
  lines.push(`  POST ${bridgeUrl}/calls/{call_id}/cancel, /retry, /abandon   (the same key)`);
  lines.push(`  GET  ${bridgeUrl}/health`);
  lines.push(`  GET  ${bridgeUrl}/console   (the web console: sign in with the admin key)`, '');
  for (const [name, route] of Object.entries(config.routes)) {
    const { auth } = route;
    if (signsRequests(auth)) {
      // Without an example or a preset's sample event, the command needs a payload file.
      const payload =
        route.example === undefined && route.preset === undefined ? ' payload.json' : '';
      lines.push(
        `Send "${name}" a webhook signed as ${auth.type} signs:`,
        `  ${sendPrefix}npm run send -- ${name}${payload}`,
        '',
      );
      continue;
    }
    if (route.example === undefined && route.preset !== undefined) {
      // No example for a curl: the preset's sample event (a Tilda form post, say) instead.
      lines.push(`Send "${name}" a sample webhook:`, `  ${sendPrefix}npm run send -- ${name}`, '');
      continue;
    }
    const token = input.tokens[name];
    lines.push(`Send a webhook to "${name}":`);
    lines.push(
      [
        `  curl -s -X POST ${bridgeUrl}/hooks/${name}`,
        `-H 'Content-Type: application/json'`,
        ...(auth.type === 'token' && token !== undefined
          ? [`-H ${shellQuote(`${auth.header}: ${token}`)}`]
          : []),
        `-d ${shellQuote(JSON.stringify(route.example ?? {}))}`,
      ].join(' '),
      '',
    );
  }
  const open = Object.entries(config.routes).filter(([, route]) => route.auth.type === 'none');
  for (const [name] of open) {
    lines.push(`WARNING: route "${name}" has "auth": {"type": "none"}: anyone can make it call.`);
  }
  lines.push(
    'Then look at the call with the call_id from the answer:',
    `  curl -s -H 'Authorization: Bearer ${adminKey}' ${bridgeUrl}/calls/<call_id>`,
    '',
  );
  return lines.join('\n');
};
