import { LOCAL_BRIDGE_PORT } from '../../local/defaults.ts';

/** The help lines of the options every command on the API takes (`API_OPTIONS`). */
export const API_OPTION_HELP = [
  [
    '--url <url>',
    `the API: the deploy's ApiUrl, or by default the local runtime (http://127.0.0.1:$PORT, PORT ${LOCAL_BRIDGE_PORT})`,
  ],
  ['--json', 'print the API’s answer exactly as it came (for scripts)'],
] as const;
