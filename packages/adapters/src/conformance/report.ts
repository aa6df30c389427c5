import type { CheckResult, Report } from './types.js';

const MARK = { pass: '✓', fail: '✗', skip: '–' } as const;

const indent = (text: string, by: string) => text.split('\n').map((line) => by + line).join('\n');

function line(check: CheckResult, idWidth: number): string {
  const base = `${MARK[check.status]} ${check.id.padEnd(idWidth)}  ${check.title}`;
  if (check.status === 'skip') return `${base} (skipped: ${check.detail ?? 'does not apply'})`;
  return `${base} (${check.durationMs} ms)`;
}

/**
 * The report as text: one line per check (✓ passed, ✗ failed, – skipped), then each failure with
 * the rule it checks and what came instead, and `N passed, N failed` alone on the last line.
 *
 * @example
 * console.log(formatReport(await runConformance({ url, WebSocket })));
 */
export function formatReport(report: Report): string {
  const idWidth = Math.max(0, ...report.checks.map((c) => c.id.length));
  const out: string[] = [`Xiaoer protocol conformance: ${report.url} (${report.transport === 'http' ? 'HTTP + SSE' : 'WebSocket'})`, ''];
  for (const check of report.checks) out.push(line(check, idWidth));
  const failures = report.checks.filter((c) => c.status === 'fail');
  if (failures.length > 0) {
    out.push('', 'Failures:');
    for (const f of failures) {
      out.push('', `${MARK.fail} ${f.id}: ${f.title}`, indent(`rule: ${f.requirement}`, '    '), indent(f.detail ?? 'no detail', '    '));
    }
  }
  out.push('', `${report.passed} passed, ${report.failed} failed`);
  return out.join('\n');
}
