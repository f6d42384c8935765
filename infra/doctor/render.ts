import { printable } from '../cli/format.ts';
import type { Check } from './check.ts';
import type { DoctorReport } from './doctor.ts';

const LABELS: Record<Check['status'], string> = { ok: 'ok    ', failed: 'FAILED', note: 'note  ' };

/** The report as the terminal shows it: one line per check, and under a failure what to do. */
export const renderReport = (report: DoctorReport, heading: string): string => {
  const lines = [heading, ''];
  for (const check of report.checks) {
    // Stack outputs, the probe's answer and the providers' messages are others' text: a control
    // character in one is shown escaped, never acted on by the terminal.
    lines.push(`${LABELS[check.status]}  ${printable(check.subject)}: ${printable(check.detail)}`);
    if (check.fix !== undefined) lines.push(`        fix: ${printable(check.fix)}`);
  }
  const failures = report.checks.filter((check) => check.status === 'failed').length;
  const passed = report.checks.filter((check) => check.status === 'ok').length;
  lines.push(
    '',
    failures === 0
      ? `All ${passed} checks passed.`
      : `${failures} of ${passed + failures} checks failed.`,
  );
  return lines.join('\n');
};
