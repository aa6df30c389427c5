// The Custom Elements Manifest (custom-elements.json, the package's "customElements" field), read
// from the components' JSDoc headers (@summary, @event, @csspart, @cssproperty, @slot) and their
// Lit properties. Storybook's docs and controls are fed from it (.storybook/preview.ts).
import { readFileSync } from 'node:fs';

/**
 * The elements are registered in one place, define.ts (`['xiaoer-chat', XiaoerChat]` pairs behind
 * a `customElements.get` guard), not by a decorator the analyzer would see: read the tag names
 * from there, so the manifest and the registration cannot disagree.
 */
function tagsFromDefine() {
  const source = readFileSync(new URL('./src/define.ts', import.meta.url), 'utf8');
  const tags = new Map();
  for (const [, tag, name] of source.matchAll(/\[\s*'(xiaoer-[a-z-]+)'\s*,\s*(\w+)\s*\]/g)) tags.set(name, tag);
  return {
    name: 'xiaoer-tags-from-define',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          const tag = tags.get(declaration.name);
          if (declaration.kind !== 'class' || !tag) continue;
          declaration.tagName = tag;
          declaration.customElement = true;
          mod.exports = [...(mod.exports ?? []), { kind: 'custom-element-definition', name: tag, declaration: { name: declaration.name, module: mod.path } }];
        }
      }
    },
  };
}

export default {
  globs: ['src/components/**/*.ts', 'src/base/*.ts'],
  exclude: ['**/*.test.ts', '**/*.stories.ts', '**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  plugins: [tagsFromDefine()],
};
