// Browser-test support (not part of the package's API): the axe-core audit every a11y test runs.
import { expect } from 'vitest';
import axe from 'axe-core';

/** WCAG 2.0 and 2.1, levels A and AA. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe on `element` (and the shadow roots under it) and fails listing each violation. */
export async function audit(element: Element, view: string): Promise<void> {
  // Let transitions and animations settle so colours are measured at rest.
  await new Promise((r) => setTimeout(r, 350));
  const result = await axe.run(element, { runOnly: { type: 'tag', values: TAGS }, resultTypes: ['violations'] });
  const report = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n')}`,
  );
  if (report.length) console.error(`axe violations in ${view}:\n${report.join('\n')}`);
  expect(report, `axe violations in ${view}`).toEqual([]);
}
