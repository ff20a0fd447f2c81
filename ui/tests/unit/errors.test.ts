// From whatever an IPC call rejects with to the text the user reads.

import { describe, expect, it } from 'vitest';
import { formFieldOf, IpcError, isSessionLost, signInFieldOf, toIpcError } from '../../src/lib/errors';
import { errorText, pickLocale, reasonText, translate } from '../../src/i18n/translate';

describe('toIpcError', () => {
  it('keeps the shell error shape', () => {
    const e = toIpcError({ code: 'AUTH_INVALID_CREDENTIALS', message: 'Wrong account or password.' });
    expect(e).toBeInstanceOf(IpcError);
    expect(e.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(e.message).toBe('Wrong account or password.');
  });

  it('turns anything else into UNKNOWN', () => {
    expect(toIpcError('command photo_pick not found').code).toBe('UNKNOWN');
    expect(toIpcError(new TypeError('boom')).code).toBe('UNKNOWN');
    expect(toIpcError(null).code).toBe('UNKNOWN');
    expect(toIpcError({ code: 42 }).code).toBe('UNKNOWN');
    expect(toIpcError({ code: 'not a code' }).code).toBe('UNKNOWN');
  });

  it('passes an IpcError through', () => {
    const e = new IpcError('RATE_LIMITED', 'x');
    expect(toIpcError(e)).toBe(e);
  });
});

describe('errorText', () => {
  it('shows the catalog text by code, in each language', () => {
    expect(errorText('zh-CN', 'AUTH_INVALID_CREDENTIALS')).toBe('账号或密码错误。');
    expect(errorText('en', 'AUTH_INVALID_CREDENTIALS')).toBe('Wrong account or password.');
    expect(errorText('zh-CN', 'ID_BAD_CHECKSUM')).toBe('身份证号无效，请检查是否有输错的数字。');
    expect(errorText('zh-CN', 'PHOTO_UNSUPPORTED_FORMAT')).toContain('JPEG');
  });

  it('falls back to the generic text for a code the catalog lacks', () => {
    expect(errorText('zh-CN', 'SOMETHING_NEW')).toBe(errorText('zh-CN', 'UNKNOWN'));
    expect(errorText('en', 'SOMETHING_NEW')).toBe('Something went wrong. Please try again.');
  });

  it('shows reason texts and a fallback for new reasons', () => {
    expect(reasonText('zh-CN', 'PORTRAIT_GLARE')).toBe('人像面照片有反光，遮挡了内容。');
    expect(reasonText('en', 'SOMETHING_NEW')).toBe(translate('en', 'reason.UNKNOWN'));
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'home.signed_in_as', { login: 'a@b.cn' })).toBe('Signed in as a@b.cn');
    expect(translate('en', 'common.step', { n: 2 })).toBe('Step 2 of {total}');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });

  it('picks a supported locale', () => {
    expect(pickLocale('en')).toBe('en');
    expect(pickLocale('fr')).toBe('zh-CN');
    expect(pickLocale(null)).toBe('zh-CN');
  });
});

describe('where an error is shown', () => {
  it('puts form codes under their field and others in the banner', () => {
    expect(formFieldOf('NAME_BAD_CHAR')).toBe('name');
    expect(formFieldOf('ID_BAD_CHECKSUM')).toBe('id_number');
    expect(formFieldOf('VALIDITY_EXPIRED')).toBe('validity');
    expect(formFieldOf('NETWORK_TIMEOUT')).toBeNull();
    expect(signInFieldOf('LOGIN_INVALID')).toBe('login');
    expect(signInFieldOf('ACCOUNT_EXISTS')).toBe('login');
    expect(signInFieldOf('PASSWORD_TOO_SHORT')).toBe('password');
    expect(signInFieldOf('AUTH_INVALID_CREDENTIALS')).toBeNull();
  });

  it('knows which codes end the session', () => {
    expect(isSessionLost('AUTH_SESSION_EXPIRED')).toBe(true);
    expect(isSessionLost('AUTH_REQUIRED')).toBe(true);
    expect(isSessionLost('AUTH_INVALID_CREDENTIALS')).toBe(false);
  });
});
