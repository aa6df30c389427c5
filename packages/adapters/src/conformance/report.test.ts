import { describe, expect, it } from 'vitest';
import { formatReport } from './report.js';
import type { Report } from './types.js';

const report: Report = {
  url: 'wss://shop.test/xiaoer/ws',
  transport: 'websocket',
  passed: 1,
  failed: 1,
  skipped: 1,
  checks: [
    { id: 'session', title: 'session.start is answered by session.ready', requirement: 'rule one', status: 'pass', durationMs: 12 },
    { id: 'idempotency', title: 'a resent command is applied once', requirement: 'rule two', status: 'fail', durationMs: 40, detail: 'expected one; got 3\nsecond line' },
    { id: 'sse-resume', title: 'Last-Event-ID resumes', requirement: 'rule three', status: 'skip', durationMs: 0, detail: 'HTTP only' },
  ],
};

describe('formatReport', () => {
  it('prints a line per check, then the failures, then the tally alone on the last line', () => {
    expect(formatReport(report)).toBe(
      [
        'Xiaoer protocol conformance: wss://shop.test/xiaoer/ws (WebSocket)',
        '',
        '✓ session      session.start is answered by session.ready (12 ms)',
        '✗ idempotency  a resent command is applied once (40 ms)',
        '– sse-resume   Last-Event-ID resumes (skipped: HTTP only)',
        '',
        'Failures:',
        '',
        '✗ idempotency: a resent command is applied once',
        '    rule: rule two',
        '    expected one; got 3',
        '    second line',
        '',
        '1 passed, 1 failed',
      ].join('\n'),
    );
  });

  it('has no failure section when everything passed', () => {
    const text = formatReport({ ...report, failed: 0, passed: 1, skipped: 0, checks: [report.checks[0]!] });
    expect(text).not.toContain('Failures');
    expect(text.split('\n').at(-1)).toBe('1 passed, 0 failed');
  });
});
