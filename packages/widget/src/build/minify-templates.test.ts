import { describe, expect, it } from 'vitest';
import { minifyTemplates } from './minify-templates.js';

describe('minifyTemplates (the script-tag build)', () => {
  it('collapses the whitespace of css`` and html`` and leaves every binding as written', async () => {
    const source = [
      "const styles = css`",
      '  .launcher {',
      '    width: var(--_launcher-size);',
      '    color: ${token};',
      '  }',
      '`;',
      'const view = html`',
      '  <button   class="back"  ?disabled=${off} @click=${this.back}>',
      '    <span aria-hidden="true">‹</span> ${s.nav.back}',
      '  </button>',
      '  <xiaoer-order-list .client=${client} locale=${locale}></xiaoer-order-list>',
      '`;',
    ].join('\n');
    const out = await minifyTemplates(source, 'view.ts');
    expect(out).toContain('css`.launcher{width:var(--_launcher-size);color:${token}}`');
    // Bindings come out quoted, which Lit reads the same way.
    expect(out).toContain('<button class="back" ?disabled="${off}" @click="${this.back}">');
    // The space between the arrow and the label is text the buyer sees: it stays.
    expect(out).toContain('<span aria-hidden="true">‹</span> ${s.nav.back}');
    expect(out).toContain('<xiaoer-order-list .client="${client}" locale="${locale}"></xiaoer-order-list>');
    expect(out.length).toBeLessThan(source.length);
  });

  it('leaves a css`` that is only declarations, and a file without templates, untouched', async () => {
    const fragment = 'const dark = css`\n  --xiaoer-color-primary: #f97316;\n  color-scheme: dark;\n`;';
    expect(await minifyTemplates(fragment, 'theme.ts')).toBe(fragment);
    const plain = 'export const x = `  spaced  `;';
    expect(await minifyTemplates(plain, 'plain.ts')).toBe(plain);
  });
});
