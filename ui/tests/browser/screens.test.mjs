// Browser tests of every screen: the built UI (ui/dist) served on 127.0.0.1, Debian's Chromium
// driven by playwright-core, and a fake app shell (fake-backend.js) in place of Tauri's IPC.
// Each screen is checked with axe-core (no serious/critical violations), for horizontal
// overflow, CSP violations and page errors, and saved as a screenshot under ui/test-results/.
//
// Run after `npm run build`: `npm run test:browser`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import { AXE, CHROMIUM, CHROMIUM_ARGS, CONTRACT, DIST, FAKE, RESULTS, axeViolations, en, zh } from './support.mjs';

const MOBILE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const NARROW = { width: 360, height: 740 };

const USER = 'tester@example.com';
const PASSWORD = 'correct-horse-9';
const GOOD_ID = '11010519491231002X';
const BAD_CHECKSUM_ID = '110105194912310021';
const NAME = '张三';
const CONSENT = { version: '2026-11', accepted_at: 1_790_000_000 };
/** GOOD_ID's holder was born in 1949: a card issued in 2016 is long-term (长期). */
const LONG_TERM = { start: '2016-03-01', end: null, long_term: true };


let browser;
let server;
/** Every axe finding, serious or not, written to test-results/axe.json for review. */
const axeFindings = [];

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), 'ui/dist is missing: run `npm run build` first');
  mkdirSync(RESULTS, { recursive: true });
  server = await serve(DIST);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
});

after(async () => {
  writeFileSync(join(RESULTS, 'axe.json'), JSON.stringify(axeFindings, null, 2));
  await browser?.close();
  await server?.close();
});

/** A fresh browser context with the fake shell configured, the app loaded. */
async function openApp(viewport, config = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  await page.addInitScript({
    content: `window.__FAKE_CONFIG__ = ${JSON.stringify({ ...config, contract: CONTRACT })};\n${FAKE}`,
  });
  await page.addInitScript({ content: AXE });
  await page.goto(server.url);
  return { context, page, problems, viewport };
}

const byId = (page, id) => page.getByTestId(id);

async function textOf(page, id) {
  return ((await byId(page, id).textContent()) ?? '').trim();
}

/** Wait until the element with `id` contains `text`. */
async function waitForText(page, id, text) {
  await page.waitForFunction(
    ([testid, wanted]) =>
      document.querySelector(`[data-testid="${testid}"]`)?.textContent?.includes(wanted) ?? false,
    [id, text],
  );
}

/**
 * The screen `testid` is showing: axe finds no serious/critical violation, nothing overflows
 * horizontally, no CSP violation or page error happened; save a screenshot as `name`.
 */
/** Viewports up to this width are phones: every control there must be a big enough target. */
const PHONE_MAX_WIDTH = 480;
/** Smallest touch target on a phone, in CSS px (WCAG 2.5.5, Apple and Material guidance). */
const TOUCH_TARGET_PX = 44;

/**
 * Runs in the page: the visible controls whose touch target is smaller than `min` px in either
 * direction. A checkbox, radio or file input counts with its label, which takes the tap too.
 * Links inside running text are exempt (WCAG 2.5.5's inline exception).
 */
function smallTouchTargets(min) {
  const controls = document.querySelectorAll(
    'button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"])',
  );
  const small = [];
  for (const el of controls) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (el.tagName === 'INPUT' && ['checkbox', 'radio', 'file'].includes(el.type)) {
      const label = el.closest('label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`) : null);
      if (label) box = label.getBoundingClientRect();
      else if (el.type === 'file' && (box.width <= 1 || box.height <= 1)) continue;
    }
    if (el.tagName === 'A' && el.closest('p, li') && style.display === 'inline') continue;
    if (box.width + 0.5 < min || box.height + 0.5 < min) {
      const id = el.getAttribute('data-testid') ?? el.id ?? '';
      const label = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30);
      small.push(`${el.tagName.toLowerCase()}${id ? `[${id}]` : ''} "${label}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}

async function checkScreen(app, testid, name) {
  const { page, problems, viewport } = app;
  await byId(page, testid).waitFor({ state: 'visible' });
  await page.evaluate(() => document.fonts.ready);
  const violations = await axeViolations(page);
  if (violations.length > 0) axeFindings.push({ screen: name, viewport, violations });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `axe on ${name}: ${JSON.stringify(serious, null, 2)}`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${name} overflows horizontally by ${overflow}px`);
  if (viewport.width <= PHONE_MAX_WIDTH) {
    const small = await page.evaluate(smallTouchTargets, TOUCH_TARGET_PX);
    assert.deepEqual(small, [], `${name}: touch targets under ${TOUCH_TARGET_PX} px`);
  }
  const csp = await page.evaluate(() => window.__cspViolations);
  assert.deepEqual(csp, [], `CSP violations on ${name}`);
  assert.deepEqual(problems, [], `errors on ${name}`);
  await page.screenshot({
    path: join(RESULTS, `${name}-${viewport.width}x${viewport.height}.png`),
    fullPage: true,
  });
}

async function signIn(page) {
  await byId(page, 'login-input').fill(USER);
  await byId(page, 'password-input').fill(PASSWORD);
  await byId(page, 'signin-submit').click();
  await byId(page, 'home-screen').waitFor();
}

/** Home → before you start → consent → the form. */
async function startVerification(page) {
  await byId(page, 'start-verification').click();
  await byId(page, 'intro-next').click();
  await byId(page, 'consent-check').check();
  await byId(page, 'consent-accept').click();
  await byId(page, 'form-screen').waitFor();
}

/** The validity period of GOOD_ID's card: a start date and 长期. */
async function fillLongTerm(page) {
  await byId(page, 'validity-start').fill('2016.03.01');
  await byId(page, 'validity-long-term').check();
}

/** The whole first-time flow, sign-in to approved, at one viewport. */
function mainWalk(viewport) {
  describe(`first verification at ${viewport.width}x${viewport.height}`, () => {
    let app;
    let page;

    before(async () => {
      app = await openApp(viewport);
      page = app.page;
    });
    after(async () => {
      await app?.context.close();
    });

    test('sign-in screen in zh-CN with the staging badge', async () => {
      await checkScreen(app, 'signin-screen', '01-signin');
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      assert.equal(await page.getAttribute('html', 'data-lang'), 'zh-CN');
      assert.equal(await textOf(page, 'staging-badge'), zh['header.staging']);
      assert.equal(await byId(page, 'signout').count(), 0);
      assert.equal(await page.title(), zh['app.name']);
    });

    test('keyboard order on sign-in, with a visible focus ring', async () => {
      await byId(page, 'lang-switch').focus();
      const order = ['lang-switch'];
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        order.push(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')));
      }
      assert.deepEqual(order, [
        'lang-switch',
        'login-input',
        'password-input',
        'signin-submit',
        'register-toggle',
      ]);
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', 'focused button shows a focus ring');
    });

    test('wrong password shows AUTH_INVALID_CREDENTIALS text in zh-CN', async () => {
      await byId(page, 'login-input').fill(USER);
      await byId(page, 'password-input').fill('wrong-password');
      await byId(page, 'signin-submit').click();
      await waitForText(page, 'error-banner', zh['error.AUTH_INVALID_CREDENTIALS']);
      assert.equal(await byId(page, 'error-banner').getAttribute('role'), 'alert');
      assert.equal(await byId(page, 'signin-screen').isVisible(), true);
      await checkScreen(app, 'signin-screen', '02-signin-error');
      const calls = await page.evaluate(() => window.__fake.calls('auth_login'));
      assert.equal(calls.length, 1);
      assert.equal(calls[0].args.login, USER);
    });

    test('register mode shows a field error linked to the password input', async () => {
      await byId(page, 'register-toggle').click();
      assert.equal(await textOf(page, 'signin-submit'), zh['signin.submit_register']);
      await byId(page, 'login-input').fill('new-user@example.com');
      await byId(page, 'password-input').fill('short');
      await byId(page, 'signin-submit').click();
      await waitForText(page, 'password-error', zh['error.PASSWORD_TOO_SHORT']);
      const input = byId(page, 'password-input');
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      const errorId = await byId(page, 'password-error').getAttribute('id');
      assert.ok((await input.getAttribute('aria-describedby'))?.split(' ').includes(errorId));
      assert.equal(await byId(page, 'password-error').getAttribute('aria-live'), 'polite');
      await checkScreen(app, 'signin-screen', '03-register-error');
      await byId(page, 'register-toggle').click();
      assert.equal(await textOf(page, 'signin-submit'), zh['signin.submit']);
    });

    test('sign in leads home: unverified tier, limits in yuan, not started', async () => {
      await signIn(page);
      await waitForText(page, 'tier', zh['tier.unverified']);
      await waitForText(page, 'verification-status', zh['status.none']);
      assert.equal(await textOf(page, 'limit-single_transfer'), '¥500');
      assert.equal(await textOf(page, 'limit-daily_transfer'), '¥1,000');
      assert.equal(await textOf(page, 'start-verification'), zh['home.action.start']);
      assert.equal(await byId(page, 'signout').isVisible(), true);
      assert.equal(await byId(page, 'error-banner').count(), 0, 'old error cleared');
      await checkScreen(app, 'home-screen', '04-home');
    });

    test('before you start: what is needed and the photo tips', async () => {
      await byId(page, 'start-verification').click();
      await checkScreen(app, 'intro-screen', '04b-intro');
      for (const tip of ['light', 'glare', 'corners', 'expiry']) {
        assert.equal(await textOf(page, `intro-tip-${tip}`), zh[`intro.tip.${tip}`]);
      }
      await byId(page, 'intro-next').click();
      await byId(page, 'consent-screen').waitFor();
    });

    test('consent: required before anything personal, then recorded with its version', async () => {
      const text = await byId(page, 'consent-screen').innerText();
      for (const part of ['purpose', 'retention', 'who', 'rights']) {
        assert.ok(text.includes(zh[`consent.${part}.body`]), part);
      }
      await byId(page, 'consent-accept').click();
      await waitForText(page, 'consent-error', zh['consent.required']);
      assert.equal(await byId(page, 'consent-screen').isVisible(), true);
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
        'consent-check',
      );
      assert.equal((await page.evaluate(() => window.__fake.calls('verification_consent'))).length, 0);
      await checkScreen(app, 'consent-screen', '04c-consent-required');
      await byId(page, 'consent-check').check();
      assert.equal(await textOf(page, 'consent-error'), '');
      await byId(page, 'consent-accept').click();
      await byId(page, 'form-screen').waitFor();
      const calls = await page.evaluate(() => window.__fake.calls('verification_consent'));
      assert.deepEqual(calls.map((c) => c.args), [{ version: '2026-11' }]);
    });

    test('form: a bad ID number shows ID_BAD_CHECKSUM under the field', async () => {
      await byId(page, 'name-input').fill(NAME);
      await byId(page, 'id-input').fill(BAD_CHECKSUM_ID);
      await waitForText(page, 'id-error', zh['error.ID_BAD_CHECKSUM']);
      assert.equal(await textOf(page, 'name-error'), '');
      const input = byId(page, 'id-input');
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      assert.ok((await input.getAttribute('aria-describedby'))?.includes('id-number-error'));
      const calls = await page.evaluate(() => window.__fake.calls('validate_fields'));
      assert.ok(calls.length >= 1);
      assert.deepEqual(Object.keys(calls.at(-1).args).sort(), ['idNumber', 'name', 'validity']);
      await checkScreen(app, 'form-screen', '05-form-bad-id');
    });

    test('form: next with a bad name keeps the user on the form', async () => {
      await byId(page, 'name-input').fill('张');
      await byId(page, 'id-input').fill(GOOD_ID);
      await byId(page, 'form-next').click();
      await waitForText(page, 'name-error', zh['error.NAME_TOO_SHORT']);
      await page.waitForFunction(
        () => document.activeElement?.getAttribute('data-testid') === 'name-input',
      );
      assert.equal(await byId(page, 'form-screen').isVisible(), true);
      assert.equal(await textOf(page, 'id-error'), '');
    });

    test('form: the validity period is required and checked against the holder', async () => {
      await byId(page, 'name-input').fill(NAME);
      await byId(page, 'form-next').click();
      await waitForText(page, 'validity-error', zh['error.VALIDITY_MISSING']);
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
        'validity-start',
      );
      await byId(page, 'validity-start').fill('2016.03.01');
      await byId(page, 'validity-end').fill('2036.03.01');
      await byId(page, 'validity-end').blur();
      await waitForText(page, 'validity-error', zh['error.VALIDITY_LENGTH_MISMATCH']);
      const start = byId(page, 'validity-start');
      assert.equal(await start.getAttribute('aria-invalid'), 'true');
      assert.ok((await start.getAttribute('aria-describedby'))?.split(' ').includes('validity-error'));
      assert.equal(await byId(page, 'validity-error').getAttribute('aria-live'), 'polite');
      await checkScreen(app, 'form-screen', '05b-form-validity-error');
      assert.equal((await page.evaluate(() => window.__fake.calls('verification_save_personal'))).length, 0);
    });

    test('form: long-term clears the end date, and valid details lead to the photos', async () => {
      await byId(page, 'validity-long-term').check();
      assert.equal(await byId(page, 'validity-end').isDisabled(), true);
      assert.equal(await byId(page, 'validity-end').inputValue(), '');
      await page.waitForFunction(
        () => document.querySelector('[data-testid="validity-error"]')?.textContent?.trim() === '',
      );
      await byId(page, 'form-next').click();
      await byId(page, 'photos-screen').waitFor();
      const saves = await page.evaluate(() => window.__fake.calls('verification_save_personal'));
      assert.deepEqual(saves.at(-1).args, { name: NAME, idNumber: GOOD_ID, validity: LONG_TERM });
      assert.equal(await byId(page, 'photos-next').isDisabled(), true);
      await checkScreen(app, 'photos-screen', '06-photos-empty');
    });

    test('photos: an unsupported file shows PHOTO_UNSUPPORTED_FORMAT in its slot', async () => {
      await page.evaluate(() =>
        window.__fake.queuePick('portrait', { error: 'PHOTO_UNSUPPORTED_FORMAT' }),
      );
      await byId(page, 'pick-portrait').click();
      await waitForText(page, 'photo-error-portrait', zh['error.PHOTO_UNSUPPORTED_FORMAT']);
      assert.equal(await textOf(page, 'photo-error-emblem'), '');
      assert.equal(await byId(page, 'preview-portrait').count(), 0);
      assert.equal(await byId(page, 'error-banner').count(), 0);
      await checkScreen(app, 'photos-screen', '07-photos-error');
    });

    test('photos: a cancelled dialog changes nothing', async () => {
      await page.evaluate(() => window.__fake.queuePick('emblem', 'cancel'));
      await byId(page, 'pick-emblem').click();
      await page.waitForFunction(() => window.__fake.calls('photo_pick').length === 2);
      assert.equal(await byId(page, 'preview-emblem').count(), 0);
      assert.equal(await byId(page, 'photos-next').isDisabled(), true);
    });

    test('photos: a photo failing the check shows glare, the missing corner and tips on it', async () => {
      await page.evaluate(() => window.__fake.queuePick('portrait', { check: 'glare' }));
      await byId(page, 'pick-portrait').click();
      await byId(page, 'overlay-portrait').waitFor();
      assert.equal(await byId(page, 'preview-portrait').count(), 1, 'the photo is still shown');
      assert.equal(await byId(page, 'quad-portrait').getAttribute('data-ok'), 'false');
      assert.equal(await byId(page, 'glare-portrait-0').count(), 1);
      assert.ok((await textOf(page, 'glare-portrait-0')).includes(zh['overlay.glare_label'].replace('{n}', '1')));
      assert.equal(await byId(page, 'corner-portrait-top_left').count(), 1);
      assert.equal(await byId(page, 'corner-portrait-top_right').count(), 0);
      // The marked corner stays inside the preview even though the card's corner is outside.
      const [frame, corner] = await Promise.all([
        byId(page, 'overlay-portrait').boundingBox(),
        byId(page, 'corner-portrait-top_left').boundingBox(),
      ]);
      assert.ok(corner.x >= frame.x - 1 && corner.y >= frame.y - 1, 'corner mark in view');
      const label = (await byId(page, 'overlay-portrait').getAttribute('aria-label')) ?? '';
      assert.ok(label.includes(zh['overlay.card_found']), label);
      assert.ok(label.includes(zh['overlay.glare_at'].replace('{where}', zh['overlay.where.top_right'])), label);
      assert.ok(label.includes(zh['overlay.corner_missing'].replace('{corner}', zh['overlay.corner.top_left'])), label);
      for (const code of ['PHOTO_GLARE', 'PHOTO_CORNER_MISSING']) {
        const tip = await textOf(page, `tip-portrait-${code}`);
        assert.ok(tip.includes(zh[`error.${code}`]) && tip.includes(zh[`tip.${code}`]), code);
      }
      await waitForText(page, 'photo-error-portrait', zh['photos.check_failed']);
      await byId(page, 'pick-emblem').click();
      await byId(page, 'preview-emblem').waitFor();
      assert.equal(await byId(page, 'quad-emblem').getAttribute('data-ok'), 'true');
      assert.equal(await byId(page, 'photos-next').isDisabled(), true, 'a failing photo blocks next');
      await checkScreen(app, 'photos-screen', '07b-photos-check-failed');
    });

    test('photos: picking both sides shows previews and enables next', async () => {
      await byId(page, 'pick-portrait').click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="quad-portrait"]')?.getAttribute('data-ok') === 'true',
      );
      assert.equal(await textOf(page, 'photo-error-portrait'), '');
      assert.equal(await byId(page, 'tip-portrait-PHOTO_GLARE').count(), 0);
      for (const side of ['portrait', 'emblem']) {
        const img = byId(page, `preview-${side}`);
        assert.match((await img.getAttribute('src')) ?? '', /^data:image\/jpeg;base64,/);
        assert.ok((await img.getAttribute('alt'))?.length);
        assert.ok(await img.evaluate((el) => el.naturalWidth > 0), `${side} preview decodes`);
      }
      assert.equal(await byId(page, 'photos-next').isEnabled(), true);
      await checkScreen(app, 'photos-screen', '08-photos-picked');
    });

    test('review shows the name and only the masked ID number', async () => {
      await byId(page, 'photos-next').click();
      await byId(page, 'review-screen').waitFor();
      assert.equal(await textOf(page, 'review-name'), NAME);
      assert.equal(await textOf(page, 'review-id'), '1101**********002X');
      const body = await page.locator('body').innerText();
      assert.ok(!body.includes(GOOD_ID), 'the full ID number is never shown on review');
      assert.ok(!body.includes('19491231'), 'no part of the middle digits is shown');
      await checkScreen(app, 'review-screen', '09-review');
    });

    test('submit shows upload progress per photo, then waiting', async () => {
      await byId(page, 'submit').click();
      await byId(page, 'progress-portrait').waitFor();
      await byId(page, 'progress-emblem').waitFor();
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="progress-portrait"]');
        return el instanceof HTMLProgressElement && el.value > 0;
      });
      await page.screenshot({
        path: join(RESULTS, `10-review-uploading-${viewport.width}x${viewport.height}.png`),
        fullPage: true,
      });
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="progress-emblem"]');
        return el instanceof HTMLProgressElement && el.value > 0 && el.value < 100;
      });
      const portrait = await byId(page, 'progress-portrait').evaluate((el) => el.value);
      assert.equal(portrait, 100, 'portrait finished before the emblem uploads');
      await byId(page, 'waiting-screen').waitFor();
      assert.equal((await page.evaluate(() => window.__fake.calls('verification_submit'))).length, 1);
    });

    test('waiting: under review, 1–3 business days, re-fetched when shown', async () => {
      await checkScreen(app, 'waiting-screen', '11-waiting');
      const text = await byId(page, 'waiting-screen').innerText();
      assert.ok(text.includes(zh['waiting.title']));
      assert.ok(text.includes('1–3'));
      const gets = await page.evaluate(() => window.__fake.calls('verification_get').length);
      assert.ok(gets >= 1);
      assert.equal(await page.evaluate(() => window.__fake.listenerCount('verification-changed')), 1);
    });

    test('an emitted verification-changed event moves waiting to approved', async () => {
      await page.evaluate(() => window.__fake.decide('approved'));
      await checkScreen(app, 'approved-screen', '12-approved');
      await waitForText(page, 'tier', zh['tier.verified']);
      await waitForText(page, 'limit-single_transfer', '¥50,000');
      assert.equal(await textOf(page, 'limit-daily_transfer'), '¥200,000');
      assert.equal(await textOf(page, 'limit-daily_withdrawal'), '¥50,000');
      assert.equal(await textOf(page, 'personal-id'), '1101**********002X');
      assert.ok(!(await page.locator('body').innerText()).includes(GOOD_ID));
    });

    test('home after approval: verified, see the result', async () => {
      await page.getByRole('button', { name: zh['common.home'] }).click();
      await byId(page, 'home-screen').waitFor();
      await waitForText(page, 'tier', zh['tier.verified']);
      await waitForText(page, 'verification-status', zh['status.approved']);
      assert.equal(await textOf(page, 'start-verification'), zh['home.action.result']);
      await checkScreen(app, 'home-screen', '13-home-verified');
    });

    test('sign out returns to sign-in', async () => {
      await byId(page, 'signout').click();
      await byId(page, 'signin-screen').waitFor();
      assert.equal(await byId(page, 'signout').count(), 0);
      assert.equal((await page.evaluate(() => window.__fake.calls('auth_logout'))).length, 1);
    });
  });
}

/** A restored session whose application was pending, then rejected with two reasons. */
function rejectedWalk(viewport) {
  describe(`rejection and resubmission at ${viewport.width}x${viewport.height}`, () => {
    let app;
    let page;

    before(async () => {
      app = await openApp(viewport, {
        session: USER,
        application: {
          id: 'app-0001',
          status: 'pending',
          revision: 3,
          personal: { name: NAME, id_number: GOOD_ID, validity: LONG_TERM },
          photos: {
            portrait: { side: 'portrait', sha256: 'ab'.repeat(32), bytes: 245760, width: 1280, height: 808 },
            emblem: { side: 'emblem', sha256: 'cd'.repeat(32), bytes: 245760, width: 1280, height: 808 },
          },
          submitted_at: 1_700_000_000,
          consent: CONSENT,
        },
      });
      page = app.page;
    });
    after(async () => {
      await app?.context.close();
    });

    test('a restored session with a pending application opens the waiting screen', async () => {
      await byId(page, 'waiting-screen').waitFor();
      assert.equal(await byId(page, 'signout').isVisible(), true);
      const calls = await page.evaluate(() => window.__fake.state.calls.map((c) => c.cmd));
      // The shell learns the language first (for its notifications), then the start-up reads.
      assert.deepEqual(calls.slice(0, 3), ['app_set_locale', 'app_info', 'session_restore']);
    });

    test('rejected with two reasons: each reason with its text, grouped by target', async () => {
      await page.evaluate(() => window.__fake.decide('rejected', ['PORTRAIT_GLARE', 'NAME_MISMATCH']));
      await byId(page, 'rejected-screen').waitFor();
      assert.equal(await textOf(page, 'reason-PORTRAIT_GLARE'), zh['reason.PORTRAIT_GLARE']);
      assert.equal(await textOf(page, 'reason-NAME_MISMATCH'), zh['reason.NAME_MISMATCH']);
      const groups = await page.locator('[data-testid="rejected-screen"] h2').allTextContents();
      assert.deepEqual(
        groups.map((g) => g.trim()),
        [zh['target.name'], zh['target.portrait']],
      );
      await checkScreen(app, 'rejected-screen', '14-rejected');
    });

    test('fix and resubmit flags only the name on the form', async () => {
      await byId(page, 'resubmit').click();
      await byId(page, 'form-screen').waitFor();
      assert.equal(await byId(page, 'name-input').inputValue(), NAME, 'prefilled');
      assert.equal(await byId(page, 'id-input').inputValue(), GOOD_ID, 'prefilled');
      const nameField = page.locator('.field', { has: byId(page, 'name-input') });
      const idField = page.locator('.field', { has: byId(page, 'id-input') });
      assert.ok((await nameField.innerText()).includes(zh['reason.NAME_MISMATCH']));
      assert.ok(!(await idField.innerText()).includes(zh['fix.flagged']));
      assert.ok((await byId(page, 'name-input').getAttribute('aria-describedby'))?.includes('name-flag'));
      await checkScreen(app, 'form-screen', '15-resubmit-form');
    });

    test('and only the portrait photo on the photos screen', async () => {
      await byId(page, 'name-input').fill('张三丰');
      await byId(page, 'form-next').click();
      await byId(page, 'photos-screen').waitFor();
      const portrait = await byId(page, 'slot-portrait').innerText();
      const emblem = await byId(page, 'slot-emblem').innerText();
      assert.ok(portrait.includes(zh['reason.PORTRAIT_GLARE']));
      assert.ok(!emblem.includes(zh['fix.flagged']));
      assert.equal(await byId(page, 'photos-next').isEnabled(), true, 'photos already on the server');
      await checkScreen(app, 'photos-screen', '16-resubmit-photos');
    });

    test('the language switch turns everything to English', async () => {
      await byId(page, 'lang-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      assert.equal(await page.getAttribute('html', 'data-lang'), 'en');
      assert.equal(await page.title(), en['app.name']);
      const portrait = await byId(page, 'slot-portrait').innerText();
      assert.ok(portrait.includes(en['reason.PORTRAIT_GLARE']));
      assert.ok(portrait.includes(en['side.portrait']));
      assert.equal(await textOf(page, 'lang-switch'), en['header.lang_switch']);
      await checkScreen(app, 'photos-screen', '17-photos-en');
      await byId(page, 'pick-portrait').click();
      await byId(page, 'preview-portrait').waitFor();
      await byId(page, 'photos-next').click();
      await byId(page, 'review-screen').waitFor();
      assert.equal(await textOf(page, 'review-id'), '1101**********002X');
      assert.equal(await textOf(page, 'submit'), en['review.submit']);
      await checkScreen(app, 'review-screen', '18-review-en');
    });

    test('resubmitting uploads only the new photo and waits again', async () => {
      await byId(page, 'submit').click();
      await byId(page, 'waiting-screen').waitFor();
      assert.equal(await byId(page, 'progress-emblem').count(), 0);
      assert.ok((await byId(page, 'waiting-screen').innerText()).includes(en['waiting.title']));
      await byId(page, 'lang-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    });
  });
}

mainWalk(MOBILE);
mainWalk(DESKTOP);
rejectedWalk(MOBILE);
rejectedWalk(DESKTOP);

describe('ID number details', () => {
  test('a 15-digit number offers its 18-digit form; a valid number shows birth date and sex', async () => {
    const app = await openApp(DESKTOP);
    const { page } = app;
    await signIn(page);
    await startVerification(page);
    await byId(page, 'name-input').fill(NAME);
    await byId(page, 'id-input').fill('110105491231002');
    await byId(page, 'id-input').blur();
    await waitForText(page, 'id-upgrade', GOOD_ID);
    await checkScreen(app, 'id-upgrade', 'form-legacy-15');
    await byId(page, 'id-upgrade-apply').click();
    assert.equal(await byId(page, 'id-input').inputValue(), GOOD_ID);
    const derived = zh['form.derived'].replace('{birth}', '1949-12-31').replace('{sex}', zh['form.sex_female']);
    await waitForText(page, 'id-derived', derived);
    assert.equal(await byId(page, 'id-upgrade').count(), 0);
    await checkScreen(app, 'form-screen', 'form-derived');
    await app.context.close();
  });
});

describe('start-up and errors', () => {
  test('a locked keychain on start shows its text, then sign-in', async () => {
    const app = await openApp(MOBILE, { sessionError: 'KEYCHAIN_LOCKED' });
    try {
      await byId(app.page, 'signin-screen').waitFor();
      await waitForText(app.page, 'error-banner', zh['error.KEYCHAIN_LOCKED']);
      await checkScreen(app, 'signin-screen', '19-keychain-locked');
    } finally {
      await app.context.close();
    }
  });

  test('signed in without a keychain: warned that the session lasts this run only', async () => {
    const app = await openApp(MOBILE, { keychainWarning: 'KEYCHAIN_UNAVAILABLE' });
    try {
      await byId(app.page, 'signin-screen').waitFor();
      await signIn(app.page);
      await waitForText(app.page, 'error-banner', zh['error.KEYCHAIN_UNAVAILABLE']);
      assert.equal(await byId(app.page, 'error-banner').getAttribute('data-code'), 'KEYCHAIN_UNAVAILABLE');
      await checkScreen(app, 'home-screen', '24-home-keychain-warning');
    } finally {
      await app.context.close();
    }
  });

  test('no staging badge outside staging', async () => {
    const app = await openApp(MOBILE, { staging: false });
    try {
      await byId(app.page, 'signin-screen').waitFor();
      await app.page.waitForFunction(() => window.__fake.calls('app_info').length === 1);
      assert.equal(await byId(app.page, 'staging-badge').count(), 0);
    } finally {
      await app.context.close();
    }
  });

  test('an expired session sends the user back to sign-in with its text', async () => {
    const app = await openApp(MOBILE, { session: USER });
    try {
      await byId(app.page, 'home-screen').waitFor();
      await waitForText(app.page, 'verification-status', zh['status.none']);
      await app.page.evaluate(() => window.__fake.failNext('verification_consent', 'AUTH_SESSION_EXPIRED'));
      await byId(app.page, 'start-verification').click();
      await byId(app.page, 'intro-next').click();
      await byId(app.page, 'consent-check').check();
      await byId(app.page, 'consent-accept').click();
      await byId(app.page, 'signin-screen').waitFor();
      await waitForText(app.page, 'error-banner', zh['error.AUTH_SESSION_EXPIRED']);
    } finally {
      await app.context.close();
    }
  });

  test('an unknown error code shows the generic text', async () => {
    const app = await openApp(MOBILE, { session: USER });
    try {
      await byId(app.page, 'home-screen').waitFor();
      await startVerification(app.page);
      await app.page.evaluate(() => window.__fake.failNext('verification_save_personal', 'SOMETHING_NEW'));
      await byId(app.page, 'name-input').fill(NAME);
      await byId(app.page, 'id-input').fill(GOOD_ID);
      await fillLongTerm(app.page);
      await byId(app.page, 'form-next').click();
      await waitForText(app.page, 'error-banner', zh['error.UNKNOWN']);
      assert.equal(await byId(app.page, 'form-screen').isVisible(), true);
    } finally {
      await app.context.close();
    }
  });

  test('360 px wide: no screen overflows', async () => {
    const app = await openApp(NARROW, {
      session: USER,
      application: {
        id: 'app-0001',
        status: 'draft',
        revision: 2,
        personal: { name: '欧阳·娜娜', id_number: GOOD_ID, validity: LONG_TERM },
        consent: CONSENT,
      },
      localPhotos: ['portrait', 'emblem'],
    });
    try {
      // Reopened where the user left: the saved details were past the form.
      await checkScreen(app, 'photos-screen', '21-photos');
      await app.page.getByRole('button', { name: zh['common.back'] }).click();
      await checkScreen(app, 'form-screen', '20-form-restored-draft');
      await byId(app.page, 'form-next').click();
      await byId(app.page, 'photos-screen').waitFor();
      await byId(app.page, 'photos-next').click();
      await checkScreen(app, 'review-screen', '22-review');
      await app.page.getByRole('button', { name: zh['header.home'] }).click();
      await checkScreen(app, 'home-screen', '23-home-draft');
      assert.equal(await textOf(app.page, 'start-verification'), zh['home.action.continue']);
    } finally {
      await app.context.close();
    }
  });
});

/** A restored session on a draft with consent and details, ready for photos. */
const DRAFT = {
  id: 'app-0001',
  status: 'draft',
  revision: 2,
  personal: { name: NAME, id_number: GOOD_ID, validity: LONG_TERM },
  consent: CONSENT,
};

describe('consent', () => {
  test('a draft without consent opens the consent screen, not the form', async () => {
    const app = await openApp(MOBILE, {
      session: USER,
      application: { ...DRAFT, consent: null },
    });
    const { page } = app;
    try {
      await checkScreen(app, 'consent-screen', '30-consent-restored');
      assert.equal(await byId(page, 'form-screen').count(), 0);
      // Keyboard only: tick the box, then past "not now" to "agree".
      await byId(page, 'consent-check').focus();
      await page.keyboard.press('Space');
      assert.equal(await byId(page, 'consent-check').isChecked(), true);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
        'consent-accept',
      );
      await page.keyboard.press('Enter');
      // The saved details were past the form: consent leads on to the photos, and Back to
      // the restored form.
      await byId(page, 'photos-screen').waitFor();
      await page.getByRole('button', { name: zh['common.back'] }).click();
      await byId(page, 'form-screen').waitFor();
      assert.equal(await byId(page, 'name-input').inputValue(), NAME);
      assert.equal(await byId(page, 'validity-long-term').isChecked(), true);
      assert.equal(await byId(page, 'validity-start').inputValue(), LONG_TERM.start);
    } finally {
      await app.context.close();
    }
  });

  test('CONSENT_REQUIRED from the shell brings the consent screen back, then the photos', async () => {
    const app = await openApp(DESKTOP, { session: USER, application: DRAFT });
    const { page } = app;
    try {
      await byId(page, 'photos-screen').waitFor();
      await page.evaluate(() => window.__fake.failNext('photo_pick', 'CONSENT_REQUIRED'));
      await byId(page, 'pick-portrait').click();
      await byId(page, 'consent-screen').waitFor();
      await waitForText(page, 'error-banner', zh['error.CONSENT_REQUIRED']);
      await byId(page, 'consent-check').check();
      await byId(page, 'consent-accept').click();
      await byId(page, 'photos-screen').waitFor();
    } finally {
      await app.context.close();
    }
  });

  test('declining returns home and nothing personal is sent', async () => {
    const app = await openApp(MOBILE, { session: USER });
    const { page } = app;
    try {
      await waitForText(page, 'verification-status', zh['status.none']);
      await byId(page, 'start-verification').click();
      await byId(page, 'intro-next').click();
      await page.getByRole('button', { name: zh['consent.decline'] }).click();
      await byId(page, 'home-screen').waitFor();
      const cmds = await page.evaluate(() => window.__fake.state.calls.map((c) => c.cmd));
      for (const cmd of ['verification_consent', 'validate_fields', 'verification_save_personal', 'photo_pick']) {
        assert.ok(!cmds.includes(cmd), cmd);
      }
    } finally {
      await app.context.close();
    }
  });
});

describe('drag and drop', () => {
  let app;
  let page;

  before(async () => {
    app = await openApp(DESKTOP, { session: USER, application: DRAFT });
    page = app.page;
    await byId(page, 'photos-screen').waitFor();
  });
  after(async () => {
    await app?.context.close();
  });

  /** The centre of a slot's drop zone, in (physical = CSS at scale 1) pixels. */
  async function centreOf(side) {
    const box = await byId(page, `drop-${side}`).boundingBox();
    return [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)];
  }

  test('each slot is a drop zone with its hint; dragging over one highlights it', async () => {
    for (const side of ['portrait', 'emblem']) {
      assert.ok((await byId(page, `slot-${side}`).innerText()).includes(zh['photos.drop_hint']));
    }
    const [x, y] = await centreOf('emblem');
    await page.evaluate(([px, py]) => window.__fake.dragOver(px, py), [x, y]);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="slot-emblem"]')?.classList.contains('drop-target'),
    );
    assert.equal(await byId(page, 'slot-portrait').evaluate((el) => el.classList.contains('drop-target')), false);
    await page.screenshot({ path: join(RESULTS, '31-photos-drag-over-1280x800.png'), fullPage: true });
    await page.evaluate(() => window.__fake.dragLeave());
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="slot-emblem"]')?.classList.contains('drop-target'),
    );
  });

  test('a photo dropped on the emblem slot is checked and shown there, with its problems', async () => {
    const [x, y] = await centreOf('emblem');
    await page.evaluate(([px, py]) => window.__fake.drop(['/home/u/emblem-glare.jpg'], px, py), [x, y]);
    await byId(page, 'overlay-emblem').waitFor();
    assert.equal(await byId(page, 'preview-portrait').count(), 0);
    assert.equal(await byId(page, 'quad-emblem').getAttribute('data-ok'), 'false');
    assert.equal(await byId(page, 'glare-emblem-0').count(), 1);
    assert.equal(await byId(page, 'corner-emblem-top_left').count(), 1);
    assert.equal(await byId(page, 'tip-emblem-PHOTO_GLARE').count(), 1);
    const drops = await page.evaluate(() => window.__fake.calls('photo_drop'));
    assert.deepEqual(drops.map((c) => c.args), [{ side: 'emblem', path: '/home/u/emblem-glare.jpg' }]);
    assert.equal(await byId(page, 'photos-next').isDisabled(), true);
  });

  test('a drop outside the slots goes to the slot last hovered', async () => {
    await byId(page, 'slot-portrait').hover();
    await page.evaluate(() => window.__fake.drop(['/home/u/front.jpg'], 5, 5));
    await byId(page, 'preview-portrait').waitFor();
    assert.equal(await byId(page, 'quad-portrait').getAttribute('data-ok'), 'true');
    assert.equal(await byId(page, 'photos-next').isDisabled(), true, 'the emblem still fails');
  });

  test('a file that is not a photo shows its error in the slot it was dropped on', async () => {
    const [x, y] = await centreOf('emblem');
    await page.evaluate(([px, py]) => window.__fake.drop(['/home/u/notes.txt'], px, py), [x, y]);
    await waitForText(page, 'photo-error-emblem', zh['error.PHOTO_UNSUPPORTED_FORMAT']);
    assert.equal(await byId(page, 'error-banner').count(), 0);
  });

  test('two files dropped at once fill the slot under the pointer and the other one', async () => {
    const [x, y] = await centreOf('emblem');
    await page.evaluate(
      ([px, py]) => window.__fake.drop(['/home/u/back.jpg', '/home/u/front-2.jpg'], px, py),
      [x, y],
    );
    await page.waitForFunction(() => window.__fake.calls('photo_drop').length === 5);
    const drops = await page.evaluate(() => window.__fake.calls('photo_drop').slice(-2));
    assert.deepEqual(
      drops.map((c) => c.args),
      [
        { side: 'emblem', path: '/home/u/back.jpg' },
        { side: 'portrait', path: '/home/u/front-2.jpg' },
      ],
    );
    await page.waitForFunction(
      () => document.querySelector('[data-testid="quad-emblem"]')?.getAttribute('data-ok') === 'true',
    );
    assert.equal(await byId(page, 'photos-next').isEnabled(), true);
    await checkScreen(app, 'photos-screen', '32-photos-dropped');
  });
});

describe('help and settings', () => {
  test('help from the sign-in screen: the FAQ, support address copied, back', async () => {
    const app = await openApp(MOBILE);
    const { page } = app;
    try {
      await byId(page, 'signin-screen').waitFor();
      await byId(page, 'help-link').click();
      await checkScreen(app, 'help-screen', '33-help');
      for (const q of ['fails', 'benefits', 'privacy', 'stuck', 'faster']) {
        const text = await textOf(page, `faq-${q}`);
        assert.ok(text.includes(zh[`help.q.${q}`]) && text.includes(zh[`help.a.${q}`]), q);
      }
      assert.equal(await textOf(page, 'support-email'), 'support@okpay.example');
      await byId(page, 'copy-email').click();
      await page.waitForFunction(
        () => (document.querySelector('[data-testid="copy-status"]')?.textContent ?? '').trim() !== '',
      );
      assert.equal(await byId(page, 'copy-status').getAttribute('role'), 'status');
      await byId(page, 'help-back').click();
      await byId(page, 'signin-screen').waitFor();
    } finally {
      await app.context.close();
    }
  });

  test('settings: the language is kept across a restart; environment and sign out', async () => {
    const app = await openApp(DESKTOP, { session: USER });
    const { page } = app;
    try {
      await byId(page, 'home-screen').waitFor();
      await byId(page, 'settings-link').click();
      await checkScreen(app, 'settings-screen', '34-settings');
      assert.equal(await textOf(page, 'settings-api-url'), 'https://staging.okpay.test');
      assert.ok((await textOf(page, 'settings-env')).includes(zh['header.staging']));
      await byId(page, 'lang-select').selectOption('en');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      assert.equal(await page.evaluate(() => localStorage.getItem('okpay.lang')), 'en');
      await page.reload();
      await byId(page, 'home-screen').waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await page.title(), en['app.name']);
      await byId(page, 'settings-link').click();
      await byId(page, 'settings-screen').waitFor();
      assert.equal(await byId(page, 'lang-select').inputValue(), 'en');
      await checkScreen(app, 'settings-screen', '35-settings-en');
      await byId(page, 'settings-back').click();
      await byId(page, 'home-screen').waitFor();
      await byId(page, 'settings-link').click();
      await byId(page, 'settings-signout').click();
      await byId(page, 'signin-screen').waitFor();
      assert.equal((await page.evaluate(() => window.__fake.calls('auth_logout'))).length, 1);
      // The header switch is remembered too.
      await byId(page, 'lang-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      assert.equal(await page.evaluate(() => localStorage.getItem('okpay.lang')), 'zh-CN');
    } finally {
      await app.context.close();
    }
  });
});

describe('what the card says', () => {
  // A 1×1 PNG stands in for a field's crop.
  const CROP =
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
  const CARDS = {
    portrait: {
      side: 'portrait',
      read_as: 'portrait',
      upside_down: false,
      fields: [{ key: 'name', text: '张山', confidence: 0.97, crop: CROP }],
    },
    emblem: { side: 'emblem', read_as: 'portrait', upside_down: false, fields: [] },
  };
  const CHECKS = [
    { checked: 'portrait_side', result: 'match' },
    { checked: 'emblem_side', result: 'mismatch', code: 'PHOTO_WRONG_SIDE', read: 'portrait' },
    { checked: 'name', result: 'mismatch', code: 'NAME_MISMATCH', read: '张山' },
    { checked: 'id_number', result: 'mismatch', code: 'ID_NUMBER_MISMATCH', read: '110105194912310038' },
    { checked: 'birth', result: 'not_checked', why: 'not_read' },
  ];

  test('a mismatch is shown with the crop, blocks submitting, and the card can fill the form', async () => {
    const app = await openApp(DESKTOP, {
      session: USER,
      application: DRAFT,
      cards: CARDS,
      cardChecks: CHECKS,
    });
    const { page } = app;
    try {
      await byId(page, 'photos-screen').waitFor();
      for (const side of ['portrait', 'emblem']) {
        await byId(page, `pick-${side}`).click();
        await byId(page, `preview-${side}`).waitFor();
      }
      await waitForText(page, 'card-read-portrait', zh['card.read.portrait']);
      // The emblem slot holds the portrait side: said on the slot itself.
      await waitForText(page, 'photo-error-emblem', zh['error.PHOTO_WRONG_SIDE']);
      await byId(page, 'photos-next').click();
      await byId(page, 'card-checks').waitFor();
      const side = await textOf(page, 'check-portrait_side');
      assert.ok(side.includes(zh['checks.field.portrait_side']) && side.includes(zh['checks.match']), side);
      const name = await textOf(page, 'mismatch-name');
      assert.ok(name.includes('张山') && name.includes(NAME), name);
      assert.equal(await byId(page, 'check-name').locator('img').count(), 1, 'the crop beside it');
      assert.ok((await textOf(page, 'check-birth')).includes(zh['checks.not_checked.not_read']));
      // Both numbers masked on screen; where they differ is said by position.
      const id = await textOf(page, 'mismatch-id_number');
      assert.ok(id.includes('1101**********0038') && id.includes('1101**********002X'), id);
      assert.ok(id.includes(zh['checks.differs_at'].replace('{n}', '17')), id);
      assert.ok(!(await page.locator('body').innerText()).includes(GOOD_ID));
      assert.ok((await textOf(page, 'mismatch-emblem_side')).includes(zh['side.portrait']));
      await byId(page, 'checks-resolve').waitFor();
      assert.equal(await byId(page, 'submit').isDisabled(), true, 'a mismatch blocks submitting');
      await checkScreen(app, 'review-screen', '40-review-card-mismatch');
      await byId(page, 'use-card').click();
      await byId(page, 'form-screen').waitFor();
      await byId(page, 'from-card').waitFor();
      assert.equal(await page.locator('#name').inputValue(), '张山');
      assert.equal(await page.locator('#id-number').inputValue(), '110105194912310038');
      assert.equal((await page.evaluate(() => window.__fake.calls('verification_save_personal'))).length, 0,
        'nothing is saved until the user confirms');
      await checkScreen(app, 'form-screen', '41-form-from-card');
    } finally {
      await app.context.close();
    }
  });

  test('photos added before the name is typed: the form offers to fill it from the card', async () => {
    const app = await openApp(MOBILE, { session: USER, application: DRAFT, cards: CARDS, cardChecks: [] });
    const { page } = app;
    try {
      await byId(page, 'photos-screen').waitFor();
      await byId(page, 'pick-portrait').click();
      await waitForText(page, 'card-read-portrait', zh['card.read.portrait']);
      await page.getByRole('button', { name: zh['common.back'] }).click();
      await byId(page, 'form-screen').waitFor();
      assert.equal(await byId(page, 'fill-from-card').count(), 0, 'not offered over typed details');
      await page.locator('#name').fill('');
      await byId(page, 'fill-from-card').click();
      assert.equal(await page.locator('#name').inputValue(), '张山');
      assert.equal(await page.locator('#id-number').inputValue(), GOOD_ID, 'typed fields are kept');
      await byId(page, 'from-card').waitFor();
      await checkScreen(app, 'form-screen', '42-form-fill-from-card');
    } finally {
      await app.context.close();
    }
  });
});

describe('after verification', () => {
  test('details are read-only, ID masked, with contact support', async () => {
    const app = await openApp(MOBILE, {
      session: USER,
      tier: 'verified',
      application: {
        ...DRAFT,
        status: 'approved',
        revision: 6,
        photos: {
          portrait: { side: 'portrait', sha256: 'ab'.repeat(32), bytes: 245760, width: 1280, height: 808 },
          emblem: { side: 'emblem', sha256: 'cd'.repeat(32), bytes: 245760, width: 1280, height: 808 },
        },
        submitted_at: 1_790_000_000,
        decided_at: 1_790_100_000,
      },
    });
    const { page } = app;
    try {
      await byId(page, 'approved-screen').waitFor();
      await byId(page, 'personal-readonly').waitFor();
      assert.equal(await textOf(page, 'personal-name'), NAME);
      assert.equal(await textOf(page, 'personal-id'), '1101**********002X');
      assert.ok((await textOf(page, 'personal-validity')).includes(zh['form.validity_long_term']));
      assert.equal(await byId(page, 'personal-readonly').locator('input').count(), 0);
      assert.ok(!(await page.locator('body').innerText()).includes(GOOD_ID));
      await checkScreen(app, 'approved-screen', '36-approved-readonly');
      await byId(page, 'contact-support').click();
      await byId(page, 'help-screen').waitFor();
      await byId(page, 'help-back').click();
      await byId(page, 'approved-screen').waitFor();
      await page.getByRole('button', { name: zh['common.home'] }).click();
      await byId(page, 'home-screen').waitFor();
      await byId(page, 'personal-readonly').waitFor();
      assert.equal(await textOf(page, 'start-verification'), zh['home.action.result']);
    } finally {
      await app.context.close();
    }
  });
});
