import { LOCAL_BRIDGE_PORT } from '../../local/defaults.ts';
import type { Command } from '../command.ts';

/**
 * `callhook send <route> [payload.json] [--phone <number>]`, which is also
 * `npm run send -- <route> …` (infra/send.ts): posts a webhook to the route on the local
 * runtime as its sender would, signed with the route's secret from the local secrets file, and
 * prints the status and the answer.
 */
export const send: Command = {
  summary: 'post a route a sample webhook, signed as its sender would, and print the answer',
  usage: '<route> [payload.json] [--phone <number>] [--url <url>]',
  options: [
    ['--phone <number>', 'the number a preset’s sample event calls (default an example mobile)'],
    [
      '--url <url>',
      `the runtime (default http://127.0.0.1:$PORT, PORT ${LOCAL_BRIDGE_PORT}); the route and its secret are read from CALLHOOK_CONFIG and CALLHOOK_SECRETS_FILE, as npm start reads them`,
    ],
  ],
  run: async (argv, io) => (await import('./send-run.ts')).runSend(argv, io),
};
