// Browser tests of the capture screen with a camera: Chromium's fake camera plays a Y4M video
// of a specimen ID card (written by the `specimen-camera` tool of okpay-testkit, never
// committed), and the fake shell's camera commands are answered by the real photo engine
// (`specimen-camera judge`, okpay_photo::live and the photo checks, as the app's shell runs
// them), so what the screen says depends on the card, not on canned answers.
//
// Run after `npm run build`: `npm run test:browser`. Builds the tool with cargo if needed
// (found at $CARGO_TARGET_DIR/debug/specimen-camera).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import { AXE, CHROMIUM, CHROMIUM_ARGS, CONTRACT, DIST, FAKE, RESULTS, UI, axeViolations, zh } from './support.mjs';

const ROOT = join(UI, '..');
const TARGET = process.env.CARGO_TARGET_DIR || '/var/tmp/okpay-target';
const TOOL = join(TARGET, 'debug', 'specimen-camera');
const FAKE_CAMERA = ['--use-fake-device-for-media-stream'];

const VIEWPORT = { width: 390, height: 844 };
const USER = 'tester@example.com';
/** A restored session on a draft with consent and details, ready for photos. */
const DRAFT = {
  id: 'app-0001',
  status: 'draft',
  revision: 2,
  personal: {
    name: '张三',
    id_number: '11010519491231002X',
    validity: { start: '2016-03-01', end: null, long_term: true },
  },
  consent: { version: '2026-11', accepted_at: 1_790_000_000 },
};

let server;
let videos;
/** Frames judged per second and frame-to-answer latency, per test, printed at the end. */
const rates = [];

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), 'ui/dist is missing: run `npm run build` first');
  mkdirSync(RESULTS, { recursive: true });
  const built = spawnSync('cargo', ['build', '--quiet', '-p', 'okpay-testkit', '--bin', 'specimen-camera'], {
    cwd: ROOT,
    env: { ...process.env, CARGO_TARGET_DIR: TARGET },
    stdio: 'inherit',
  });
  assert.equal(built.status, 0, 'building specimen-camera failed');
  videos = mkdtempSync(join(tmpdir(), 'okpay-camera-'));
  for (const kind of ['steady', 'moving', 'glare', 'cut']) {
    const made = spawnSync(TOOL, ['video', kind, join(videos, `${kind}.y4m`)], { stdio: 'inherit' });
    assert.equal(made.status, 0, `writing the ${kind} video failed`);
  }
  server = await serve(DIST);
});

after(async () => {
  for (const r of rates) {
    console.log(
      `# camera ${r.name}: ${r.frames} frames judged in ${(r.ms / 1000).toFixed(1)} s = ` +
        `${((r.frames * 1000) / r.ms).toFixed(1)} frames/s, latency ${r.latencies.join('/')} ms (min/median/max)`,
    );
  }
  await server?.close();
  if (videos) rmSync(videos, { recursive: true, force: true });
});

/** The real engine behind the fake shell: `specimen-camera judge`, one request at a time. */
function startJudge() {
  const child = spawn(TOOL, ['judge'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)));
  child.on('exit', () => {
    for (const w of waiting.splice(0)) w.reject(new Error('the judge exited'));
  });
  let queue = Promise.resolve();
  /** One request: `open <side>`, `frame <w> <h>` or `still <side>`, with its body. */
  function ask(kind, meta, body) {
    const turn = queue.then(
      () =>
        new Promise((resolve, reject) => {
          waiting.push({ resolve, reject });
          const head = kind === 'open' ? `open ${meta}\n` : `${kind} ${meta} ${body.length}\n`;
          child.stdin.write(kind === 'open' ? head : Buffer.concat([Buffer.from(head), body]));
        }),
    );
    queue = turn.catch(() => undefined);
    return turn;
  }
  return { ask, stop: () => child.kill() };
}

/**
 * Chromium with a fake camera playing `video` (or, with `video` null, no answer to the
 * camera's permission prompt but a denial), the app on the photos step of a draft, the fake
 * shell's camera answered by the real engine.
 */
async function openCamera(video) {
  const args = [...CHROMIUM_ARGS, ...FAKE_CAMERA];
  if (video === null) args.push('--deny-permission-prompts');
  else args.push('--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${join(videos, `${video}.y4m`)}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args, headless: true });
  const judge = startJudge();
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'zh-CN' });
  await context.exposeBinding('__okpayEngine', (_source, kind, meta, b64) =>
    judge.ask(kind, meta, Buffer.from(b64, 'base64')),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  const config = { session: USER, application: DRAFT, contract: CONTRACT };
  await page.addInitScript({ content: `window.__FAKE_CONFIG__ = ${JSON.stringify(config)};\n${FAKE}` });
  await page.addInitScript({ content: AXE });
  await page.goto(server.url);
  await byId(page, 'photos-screen').waitFor();
  const close = async () => {
    await browser.close();
    judge.stop();
  };
  return { page, problems, close };
}

const byId = (page, id) => page.getByTestId(id);

/** Open the capture screen for `side` and wait for the live video's first judged frame. */
async function openCapture(page, side) {
  await byId(page, `camera-${side}`).click();
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="capture-screen"]');
    return el !== null && Number(el.getAttribute('data-frames')) > 0;
  });
}

/**
 * Watch the capture screen for `ms` (or until `until(sample)` holds): every guidance shown,
 * every stage, the latencies, whether a still appeared; and the frames judged per second.
 */
async function watch(page, name, ms, until = () => false) {
  const seen = { guidance: new Set(), stages: new Set(), latencies: [], still: false, last: null };
  const began = Date.now();
  const frames0 = Number(await byId(page, 'capture-screen').getAttribute('data-frames'));
  while (Date.now() - began < ms) {
    const s = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="capture-screen"]');
      return {
        stage: el?.getAttribute('data-stage'),
        guidance: el?.getAttribute('data-guidance'),
        frames: Number(el?.getAttribute('data-frames')),
        latency: Number(el?.getAttribute('data-latency')),
        still: document.querySelector('[data-testid="capture-still"]') !== null,
      };
    });
    seen.guidance.add(s.guidance);
    seen.stages.add(s.stage);
    if (s.latency > 0) seen.latencies.push(s.latency);
    seen.still ||= s.still;
    seen.last = s;
    if (until(s)) break;
    await page.waitForTimeout(50);
  }
  const frames = (seen.last?.frames ?? frames0) - frames0;
  seen.frames = frames;
  const sorted = [...seen.latencies].sort((a, b) => a - b);
  const latencies = sorted.length
    ? [sorted[0], sorted[Math.floor(sorted.length / 2)], sorted[sorted.length - 1]]
    : [];
  rates.push({ name, frames, ms: Date.now() - began, latencies });
  return seen;
}

/** No serious or critical axe violation on the page. */
async function axeClean(page, name) {
  const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `axe on ${name}: ${JSON.stringify(serious, null, 2)}`);
  await page.screenshot({ path: join(RESULTS, `camera-${name}.png`), fullPage: true });
}

describe('the capture screen with a fake camera and the real engine', () => {
  test('a steady card: steady, taken by itself, checked, and used on the photos step', async () => {
    const { page, problems, close } = await openCamera('steady');
    try {
      await openCapture(page, 'portrait');
      const seen = await watch(page, 'steady', 10_000, (s) => s.stage === 'taken');
      assert.ok(seen.guidance.has('steady'), `guidance seen: ${[...seen.guidance]}`);
      assert.equal(seen.last.stage, 'taken', `stages seen: ${[...seen.stages]}`);
      // Taken by itself: the shutter was never pressed.
      await byId(page, 'capture-still').waitFor();
      assert.equal((await page.evaluate(() => window.__fake.calls('photo_capture'))).length, 1);
      const verdict = ((await byId(page, 'capture-verdict').textContent()) ?? '').trim();
      const check = await page.evaluate(() => window.__fake.state.local.portrait?.check);
      assert.equal(verdict, zh['camera.still_ok'], `the engine's check: ${JSON.stringify(check)}`);
      assert.equal(check.ok, true);
      const still = await page.evaluate(() => window.__fake.state.local.portrait);
      console.log(`# camera steady: still ${still.width}x${still.height} ${still.format}, taken after ${seen.frames} frames`);
      await axeClean(page, 'taken');
      await byId(page, 'capture-use').click();
      await byId(page, 'photos-screen').waitFor();
      await byId(page, 'preview-portrait').waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('a moving card: told to hold still, never taken', async () => {
    const { page, problems, close } = await openCamera('moving');
    try {
      await openCapture(page, 'portrait');
      const seen = await watch(page, 'moving', 3_000);
      assert.ok(seen.guidance.has('hold_still'), `guidance seen: ${[...seen.guidance]}`);
      assert.deepEqual([...seen.stages], ['live']);
      assert.equal(seen.still, false);
      assert.ok(seen.frames >= 10, `only ${seen.frames} frames judged`);
      assert.equal((await page.evaluate(() => window.__fake.calls('photo_capture'))).length, 0);
      // The live screen (it stays live while the card moves).
      await axeClean(page, 'live');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  for (const [video, side, guidance] of [
    ['glare', 'portrait', 'glare'],
    ['cut', 'emblem', 'fit_card'],
  ]) {
    test(`${video}: the guidance is ${guidance} and nothing is taken`, async () => {
      const { page, problems, close } = await openCamera(video);
      try {
        await openCapture(page, side);
        const seen = await watch(page, video, 3_000);
        assert.equal(seen.last.guidance, guidance, `guidance seen: ${[...seen.guidance]}`);
        assert.ok(!seen.guidance.has('steady'), `guidance seen: ${[...seen.guidance]}`);
        const text = ((await byId(page, 'capture-guidance').textContent()) ?? '').trim();
        assert.equal(text, zh[`camera.guide.${guidance}`]);
        assert.deepEqual([...seen.stages], ['live']);
        assert.equal(seen.still, false);
        assert.equal((await page.evaluate(() => window.__fake.calls('photo_capture'))).length, 0);
        assert.deepEqual(problems, []);
      } finally {
        await close();
      }
    });
  }

  test('the camera refused: the trouble message, and the file dialog instead', async () => {
    const { page, close } = await openCamera(null);
    try {
      await byId(page, 'camera-portrait').click();
      const trouble = byId(page, 'camera-trouble');
      await trouble.waitFor();
      assert.equal(await trouble.getAttribute('data-trouble'), 'denied');
      assert.equal(((await trouble.textContent()) ?? '').trim(), zh['camera.trouble.denied']);
      await axeClean(page, 'denied');
      await byId(page, 'camera-choose-file').click();
      await byId(page, 'photos-screen').waitFor();
      assert.equal((await page.evaluate(() => window.__fake.calls('photo_pick'))).length, 1);
      assert.equal((await page.evaluate(() => window.__fake.calls('camera_frame'))).length, 0);
    } finally {
      await close();
    }
  });
});
