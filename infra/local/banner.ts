import type { CallhookConfig } from '../../shared/config/schema.ts';

const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** What `npm start` prints: where everything is, and a curl per route that works as pasted. */
export const banner = (input: {
  config: CallhookConfig;
  bridgeUrl: string;
  simulatorUrl: string;
  adminKey: string;
  dataDir: string | undefined;
  tokens: Record<string, string>;
}): string => {
  const { config, bridgeUrl, simulatorUrl, adminKey } = input;
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
  lines.push(`  GET  ${bridgeUrl}/health`, '');
  for (const [name, route] of Object.entries(config.routes)) {
    const { auth } = route;
    if (auth.type !== 'token' && auth.type !== 'none') {
      lines.push(`"${name}" takes webhooks signed by ${auth.type} (see docs/senders.md).`, '');
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
