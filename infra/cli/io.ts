/** Where a command writes, what it reads of the environment, and whether it may colour. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Colours on stdout: only for a terminal, and never with NO_COLOR. */
  colour: boolean;
}

/** https://no-color.org: NO_COLOR set to anything but the empty string turns colours off. */
export const wantsColour = (
  isTTY: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): boolean =>
  isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';

const line = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

/** The real process: each write is one line (a newline added when it has none). */
export const processIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(line(text)),
  stderr: (text) => process.stderr.write(line(text)),
  env: process.env,
  colour: wantsColour(process.stdout.isTTY, process.env),
});
