// Reads the shared Rust contract (crates/okpay-rules) so catalog tests follow it exactly.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RULES = new URL('../../../crates/okpay-rules/src/', import.meta.url);

export function readRules(file: string): string {
  return readFileSync(fileURLToPath(new URL(file, RULES)), 'utf8');
}

/** `IdBadChecksum` → `ID_BAD_CHECKSUM` (serde's SCREAMING_SNAKE_CASE). */
export function screamingSnake(variant: string): string {
  return variant.replace(/(?!^)([A-Z])/g, '_$1').toUpperCase();
}

/** `IdNumber` → `id_number` (serde's snake_case). */
export function snake(variant: string): string {
  return screamingSnake(variant).toLowerCase();
}

/** The body of `pub enum NAME { ... }`, without comments and attributes. */
export function enumBody(source: string, name: string): string {
  const start = source.indexOf(`pub enum ${name} {`);
  if (start < 0) throw new Error(`enum ${name} not found`);
  const open = source.indexOf('{', start);
  const close = source.indexOf('\n}', open);
  return source
    .slice(open + 1, close)
    .replace(/\/\/.*$/gm, '')
    .replace(/#\[[^\]]*\]/g, '');
}

/** Unit variants of a plain enum. */
export function enumVariants(source: string, name: string): string[] {
  return [...enumBody(source, name).matchAll(/^\s*([A-Z][A-Za-z0-9]*)\s*,?\s*$/gm)].map(
    (m) => m[1] as string,
  );
}

/** The ErrorCode variants declared through the `error_codes!` macro, plus `Unknown`. */
export function errorCodeVariants(source: string): string[] {
  const start = source.indexOf('error_codes! {');
  if (start < 0) throw new Error('error_codes! invocation not found');
  const body = source.slice(start, source.indexOf('\n}', start));
  const names = [...body.matchAll(/^\s*([A-Z][A-Za-z0-9]*)\s*=\s*\d{3}\s*,/gm)].map(
    (m) => m[1] as string,
  );
  return [...names, 'Unknown'];
}
