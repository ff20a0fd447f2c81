// What the browser test files share: where the built UI and the results are, the fake shell
// and the contract values it needs, axe-core, and how Chromium is launched.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const require = createRequire(import.meta.url);
export const UI = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = join(UI, 'dist');
export const RESULTS = join(UI, 'test-results');
export const FAKE = readFileSync(new URL('./fake-backend.js', import.meta.url), 'utf8');

/** A TypeScript module without imports, transpiled and imported. */
export async function importTs(url) {
  const js = ts.transpileModule(readFileSync(url, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  return import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`);
}

// The contract's values the fake shell needs, from the generated bindings themselves.
const BINDINGS = await importTs(new URL('../../src/lib/bindings.ts', import.meta.url));
export const CONTRACT = { CONSENT_VERSION: BINDINGS.CONSENT_VERSION, REASON_TARGET: BINDINGS.REASON_TARGET };

export const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** zh-CN and en catalog texts the tests look for (read from the catalogs, not retyped). */
export const zh = JSON.parse(readFileSync(join(UI, 'src/i18n/zh-CN.json'), 'utf8'));
export const en = JSON.parse(readFileSync(join(UI, 'src/i18n/en.json'), 'utf8'));

/** Every axe violation on the page (axe loaded by an init script), serious or not. */
export async function axeViolations(page) {
  return page.evaluate(async () => {
    // @ts-ignore axe is loaded by an init script
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}
