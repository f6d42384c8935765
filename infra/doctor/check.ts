/** One line of the doctor's report. */
export interface Check {
  /** What was checked: "secret callhook/shopify", "account main (UIS)". */
  subject: string;
  /** `note` informs and never fails the run (the egress IPs, an API URL). */
  status: 'ok' | 'failed' | 'note';
  /** What was found, without any secret value. */
  detail: string;
  /** What to do about a failure, as a command or a step. */
  fix?: string;
}

export const ok = (subject: string, detail: string): Check => ({ subject, status: 'ok', detail });
export const note = (subject: string, detail: string): Check => ({
  subject,
  status: 'note',
  detail,
});
export const failed = (subject: string, detail: string, fix: string): Check => ({
  subject,
  status: 'failed',
  detail,
  fix,
});

/** Whether the deploy passed: every check ok or a note. */
export const allPassed = (checks: readonly Check[]): boolean =>
  checks.every((check) => check.status !== 'failed');
