// The zh-CN and en catalogs: same keys, same placeholders, nothing empty, and an entry for
// every code and enum value the Rust contract defines (the value lists of the generated
// bindings). Literal keys passed to `t()` are checked by the type-checker (`MessageKey`).

import { describe, expect, it } from 'vitest';
import en from '../../src/i18n/en.json';
import zhCN from '../../src/i18n/zh-CN.json';
import {
  ERROR_CODES,
  PHOTO_SIDES,
  REASON_CODES,
  REASON_TARGETS,
  TIERS,
  VERIFICATION_STATUSES,
} from '../../src/lib/bindings';

const catalogs: Record<string, Record<string, string>> = { 'zh-CN': zhCN, en };

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
}

describe('catalog parity', () => {
  it('has the same keys in zh-CN and en', () => {
    const zhKeys = Object.keys(zhCN).sort();
    const enKeys = Object.keys(en).sort();
    expect(zhKeys.filter((k) => !(k in en)), 'in zh-CN but not in en').toEqual([]);
    expect(enKeys.filter((k) => !(k in zhCN)), 'in en but not in zh-CN').toEqual([]);
  });

  it('has no empty texts and the same placeholders in both languages', () => {
    for (const [name, catalog] of Object.entries(catalogs)) {
      for (const [key, text] of Object.entries(catalog)) {
        expect(text.trim(), `${name} ${key}`).not.toBe('');
      }
    }
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
  });
});

describe('catalog covers the Rust contract', () => {
  const errorCodes = ERROR_CODES;
  const reasonCodes = REASON_CODES;

  it('has the codes of the bindings', () => {
    expect(errorCodes.length).toBeGreaterThan(30);
    expect(errorCodes).toContain('ID_BAD_CHECKSUM');
    expect(errorCodes).toContain('AUTH_INVALID_CREDENTIALS');
    expect(errorCodes).toContain('UNKNOWN');
    expect(reasonCodes).toContain('PORTRAIT_GLARE');
    expect(reasonCodes).toContain('ID_NUMBER_MISMATCH');
    expect(reasonCodes.length).toBeGreaterThanOrEqual(11);
  });

  it('has error.<CODE> for every ErrorCode', () => {
    for (const [name, catalog] of Object.entries(catalogs)) {
      const missing = errorCodes.filter((c) => !(`error.${c}` in catalog));
      expect(missing, `${name} lacks error texts`).toEqual([]);
    }
  });

  it('has reason.<CODE> for every ReasonCode', () => {
    for (const [name, catalog] of Object.entries(catalogs)) {
      const missing = reasonCodes.filter((c) => !(`reason.${c}` in catalog));
      expect(missing, `${name} lacks reason texts`).toEqual([]);
    }
  });

  it('has no error or reason texts for codes the contract does not have', () => {
    const known = new Set([
      ...errorCodes.map((c) => `error.${c}`),
      ...reasonCodes.map((c) => `reason.${c}`),
    ]);
    const stale = Object.keys(zhCN).filter(
      (k) => (k.startsWith('error.') || k.startsWith('reason.')) && !known.has(k),
    );
    expect(stale).toEqual([]);
  });

  it('names every reason target, status and tier', () => {
    const keys = [
      ...REASON_TARGETS.map((v) => `target.${v}`),
      ...VERIFICATION_STATUSES.flatMap((v) => [`status.${v}`, `home.explain.${v}`]),
      ...TIERS.map((v) => `tier.${v}`),
      ...PHOTO_SIDES.flatMap((v) => [
        `side.${v}`,
        `photos.pick.${v}`,
        `photos.replace.${v}`,
        `photos.hint.${v}`,
        `photos.preview_alt.${v}`,
        `review.progress.${v}`,
      ]),
    ];
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((k) => !(k in zhCN))).toEqual([]);
  });
});
