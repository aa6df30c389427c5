// Build-time only (tsup.config.ts): minifies the CSS in Lit's css`` and the markup in html``/svg``
// tagged templates of the script-tag build, with minify-literals (html-minifier-terser and
// clean-css, with placeholders standing in for the `${…}` parts so bindings are left as written).
// The npm build is left as written: an app's own bundler decides how to minify it.
import { readFile } from 'node:fs/promises';
import { defaultShouldMinifyCSS, minifyHTMLLiterals } from 'minify-literals';

/** The subset of esbuild's plugin API this needs (tsup brings esbuild; no import of its types here). */
export interface EsbuildPluginLike {
  name: string;
  setup(build: {
    onLoad(options: { filter: RegExp }, callback: (args: { path: string }) => Promise<{ contents: string; loader: 'ts' } | undefined>): void;
  }): void;
}

/** Minifies the tagged templates of one TypeScript module; returns it unchanged when it has none. */
export async function minifyTemplates(source: string, fileName: string): Promise<string> {
  if (!/\b(?:html|css|svg)`/.test(source)) return source;
  const result = await minifyHTMLLiterals(source, {
    fileName,
    // Keep the one space between inline runs that the rendered text needs (`‹ Back`, `3 items`).
    minifyOptions: { conservativeCollapse: true },
    // A css`` that is a bare list of declarations, spliced into a rule elsewhere (chat-theme.styles.ts),
    // is no stylesheet to clean-css: leave it as written.
    shouldMinifyCSS: (template) => defaultShouldMinifyCSS(template) && template.parts.some((part) => part.text.includes('{')),
  });
  return result ? result.code : source;
}

/** The esbuild plugin: every `.ts` file of the widget's own source, nothing from node_modules. */
export function minifyTemplatesPlugin(): EsbuildPluginLike {
  return {
    name: 'xiaoer-minify-templates',
    setup(build) {
      build.onLoad({ filter: /[\\/]packages[\\/]widget[\\/]src[\\/].*\.ts$/ }, async ({ path }) => ({
        contents: await minifyTemplates(await readFile(path, 'utf8'), path),
        loader: 'ts',
      }));
    },
  };
}
