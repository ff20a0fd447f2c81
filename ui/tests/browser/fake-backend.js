// A fake app shell for browser tests, loaded with page.addInitScript before the UI starts.
// It installs the same hooks as mockIPC from '@tauri-apps/api/mocks' (window.__TAURI_INTERNALS__
// invoke/transformCallback and the event plugin), answers every IPC command of the app from an
// in-memory state, and exposes window.__fake so a test can queue pick results, decide the
// review, drop files on the window and emit events. Configure it by setting
// window.__FAKE_CONFIG__ first; its `contract` holds values from the generated bindings.
(() => {
  const config = window.__FAKE_CONFIG__ || {};

  const LIMITS = {
    unverified: { currency: 'CNY', single_transfer: 500_00, daily_transfer: 1_000_00, daily_withdrawal: 0 },
    verified: {
      currency: 'CNY',
      single_transfer: 50_000_00,
      daily_transfer: 200_000_00,
      daily_withdrawal: 50_000_00,
    },
  };
  // The contract's values, from the generated bindings (see screens.test.mjs).
  const { CONSENT_VERSION, REASON_TARGET } = config.contract;

  function blankApplication() {
    return {
      id: null,
      status: 'none',
      revision: 0,
      personal: null,
      photos: { portrait: null, emblem: null },
      submitted_at: null,
      decided_at: null,
      reasons: [],
      consent: null,
    };
  }


  function serverPhoto(side) {
    return { side, sha256: 'ab'.repeat(32), bytes: 245760, width: 1280, height: 808 };
  }

  const state = {
    staging: config.staging ?? true,
    users: { 'tester@example.com': 'correct-horse-9', ...(config.users || {}) },
    session: config.session ?? null,
    sessionError: config.sessionError ?? null,
    keychainWarning: config.keychainWarning ?? null,
    tier: config.tier ?? 'unverified',
    application: { ...blankApplication(), ...(config.application || {}) },
    local: { portrait: null, emblem: null },
    pickQueue: { portrait: [], emblem: [] },
    /** Paths dropped on the window: photo_drop accepts only these (as the shell does). */
    dropped: new Set(),
    failNext: {},
    uploadStepMs: config.uploadStepMs ?? 150,
    calls: [],
  };
  if (state.application.photos === undefined || state.application.photos === null) {
    state.application.photos = { portrait: null, emblem: null };
  }

  // --- errors and validation (the same rules as okpay_rules::validate) -----------------

  function fail(code, message) {
    return { code, message: message || code };
  }

  function validLogin(login) {
    const s = String(login).trim();
    if (s.includes('@')) return /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(s);
    const digits = s.replace(/[ -]/g, '').replace(/^(\+86|0086)/, '');
    return /^1[3-9]\d{9}$/.test(digits);
  }

  function nameCode(name) {
    const s = String(name).trim();
    if (s === '') return 'NAME_EMPTY';
    const n = Array.from(s).length;
    if (n < 2) return 'NAME_TOO_SHORT';
    if (n > 50) return 'NAME_TOO_LONG';
    if (!/^[\p{L}· -]+$/u.test(s)) return 'NAME_BAD_CHAR';
    return null;
  }

  const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const CHECK = '10X98765432';

  function idCode(id) {
    const s = String(id).replace(/\s/g, '').toUpperCase();
    if (s === '') return 'ID_EMPTY';
    if (!/^[0-9X]+$/.test(s)) return 'ID_BAD_CHAR';
    if (s.length !== 18) return 'ID_BAD_LENGTH';
    if (!/^\d{17}/.test(s)) return 'ID_BAD_CHAR';
    const y = +s.slice(6, 10);
    const m = +s.slice(10, 12);
    const d = +s.slice(12, 14);
    const date = new Date(Date.UTC(y, m - 1, d));
    if (
      y < 1850 ||
      y > 2200 ||
      date.getUTCFullYear() !== y ||
      date.getUTCMonth() !== m - 1 ||
      date.getUTCDate() !== d
    ) {
      return 'ID_BAD_BIRTHDATE';
    }
    const sum = WEIGHTS.reduce((acc, w, i) => acc + w * +s[i], 0);
    if (CHECK[sum % 11] !== s[17]) return 'ID_BAD_CHECKSUM';
    return null;
  }

  /** What validate_fields reports: codes, plus birth/sex of a valid number and the
   *  18-digit form of a 15-digit one (as the Rust side does). */
  function fieldReport(name, id) {
    const s = String(id).replace(/\s/g, '').toUpperCase();
    const report = { name: nameCode(name), id_number: idCode(s), id_warnings: [], upgraded: null };
    if (/^\d{15}$/.test(s)) {
      const body = `${s.slice(0, 6)}19${s.slice(6)}`;
      const sum = WEIGHTS.reduce((acc, w, i) => acc + w * +body[i], 0);
      report.id_number = 'ID_LEGACY15';
      report.id_warnings = ['ID_LEGACY15'];
      report.upgraded = body + CHECK[sum % 11];
    }
    if (report.id_number === null) {
      report.birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
      report.sex = +s[16] % 2 === 1 ? 'male' : 'female';
    }
    return report;
  }

  // --- the validity period (the same order of checks as okpay_rules::validate::validity) --

  function parseDate(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text).trim());
    if (!m) return null;
    const [y, mo, d] = [+m[1], +m[2], +m[3]];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    return m[0];
  }

  function addYears(date, n) {
    return `${String(+date.slice(0, 4) + n).padStart(4, '0')}${date.slice(4)}`;
  }

  function ageOn(birth, day) {
    let age = +day.slice(0, 4) - +birth.slice(0, 4);
    if (day.slice(5) < birth.slice(5)) age -= 1;
    return age;
  }

  /** The first error of a validity period for the holder of `id`, or null. */
  function validityCode(v, id) {
    if (v === null || v === undefined) return null;
    if (!v.start || String(v.start).trim() === '') return 'VALIDITY_MISSING';
    const start = parseDate(v.start);
    if (!start) return 'VALIDITY_BAD_DATE';
    let end = null;
    if (v.end && String(v.end).trim() !== '') {
      end = parseDate(v.end);
      if (!end) return 'VALIDITY_BAD_DATE';
    } else if (!v.long_term) {
      return 'VALIDITY_MISSING';
    }
    const today = new Date().toISOString().slice(0, 10);
    const errors = [];
    if (start > today) errors.push('VALIDITY_START_IN_FUTURE');
    const s = String(id).replace(/\s/g, '').toUpperCase();
    const birth = idCode(s) === null ? `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}` : null;
    if (birth && start < birth) errors.push('VALIDITY_START_BEFORE_BIRTH');
    const age = birth ? ageOn(birth, start) : null;
    const years = age === null ? null : age < 16 ? 5 : age < 26 ? 10 : age < 46 ? 20 : 'long';
    if (end === null) {
      if (years !== null && years !== 'long') errors.push('VALIDITY_LONG_TERM_NOT_ALLOWED');
    } else {
      if (end <= start) errors.push('VALIDITY_END_BEFORE_START');
      else if (years !== null && (years === 'long' || end !== addYears(start, years))) {
        errors.push('VALIDITY_LENGTH_MISMATCH');
      }
      if (end < today) errors.push('VALIDITY_EXPIRED');
    }
    return errors[0] ?? null;
  }

  // --- a picked photo: a drawn card, downscaled to a JPEG data URL, and its check -------

  const PHOTO_W = 1280;
  const PHOTO_H = 808;

  /** The card's corners (TL, TR, BR, BL) in photo pixels and what the check found. */
  const CHECKS = {
    ok: () => ({
      ok: true,
      reasons: [],
      quad: [[64, 48], [1216, 48], [1216, 760], [64, 760]],
      glare: [],
      missing_corners: [],
    }),
    // Tilted, its top-left corner out of the frame, a reflection at the top right.
    glare: () => ({
      ok: false,
      reasons: ['PHOTO_GLARE', 'PHOTO_CORNER_MISSING'],
      quad: [[-70, 40], [1180, 90], [1150, 790], [40, 760]],
      glare: [{ x: 840, y: 130, width: 200, height: 140 }],
      missing_corners: ['top_left'],
    }),
    // Nothing that looks like a card.
    nocard: () => ({
      ok: false,
      reasons: ['PHOTO_CARD_NOT_FOUND'],
      quad: null,
      glare: [],
      missing_corners: [],
    }),
  };

  function drawCard(side, check) {
    const canvas = document.createElement('canvas');
    canvas.width = 428;
    canvas.height = 270;
    const k = 428 / PHOTO_W;
    const g = canvas.getContext('2d');
    g.fillStyle = '#5b5f66';
    g.fillRect(0, 0, 428, 270);
    if (check.quad) {
      g.beginPath();
      check.quad.forEach(([x, y], i) => (i === 0 ? g.moveTo(x * k, y * k) : g.lineTo(x * k, y * k)));
      g.closePath();
      g.fillStyle = side === 'portrait' ? '#dfeaf7' : '#f7eedf';
      g.fill();
      const [[x0, y0]] = check.quad;
      const ox = Math.max(x0 * k, 0) + 20;
      const oy = y0 * k + 20;
      g.fillStyle = '#34495e';
      if (side === 'portrait') {
        g.fillRect(ox + 260, oy + 20, 90, 120);
        for (let i = 0; i < 5; i++) g.fillRect(ox + 10, oy + 20 + i * 32, 200 - i * 20, 11);
      } else {
        g.beginPath();
        g.arc(ox + 50, oy + 50, 40, 0, Math.PI * 2);
        g.fill();
        for (let i = 0; i < 4; i++) g.fillRect(ox + 120, oy + 30 + i * 34, 220 - i * 25, 13);
      }
    }
    for (const b of check.glare) {
      const cx = (b.x + b.width / 2) * k;
      const cy = (b.y + b.height / 2) * k;
      const spot = g.createRadialGradient(cx, cy, 2, cx, cy, (b.width * k) / 1.6);
      spot.addColorStop(0, 'rgba(255,255,255,1)');
      spot.addColorStop(1, 'rgba(255,255,255,0)');
      g.fillStyle = spot;
      g.fillRect(b.x * k - 20, b.y * k - 20, b.width * k + 40, b.height * k + 40);
    }
    return canvas.toDataURL('image/jpeg', 0.8);
  }

  function localPhoto(side, kind = 'ok') {
    const check = typeof kind === 'object' ? kind : (CHECKS[kind] || CHECKS.ok)();
    return {
      side,
      preview: drawCard(side, check),
      width: PHOTO_W,
      height: PHOTO_H,
      bytes: 245760,
      format: 'jpeg',
      check,
    };
  }

  for (const side of config.localPhotos || []) state.local[side] = localPhoto(side);
  for (const [side, kind] of Object.entries(config.localChecks || {})) state.local[side] = localPhoto(side, kind);

  // --- events (the event plugin as mockIPC({shouldMockEvents: true}) fakes it) ------------

  const callbacks = new Map();
  const listeners = new Map();

  function transformCallback(callback, once = false) {
    const id = window.crypto.getRandomValues(new Uint32Array(1))[0];
    callbacks.set(id, (data) => {
      if (once) callbacks.delete(id);
      return callback && callback(data);
    });
    return id;
  }

  function emit(event, payload) {
    for (const handler of [...(listeners.get(event) || [])]) {
      const cb = callbacks.get(handler);
      if (cb) cb({ event, id: handler, payload });
    }
  }

  function eventPlugin(cmd, args) {
    switch (cmd) {
      case 'plugin:event|listen': {
        if (!listeners.has(args.event)) listeners.set(args.event, []);
        listeners.get(args.event).push(args.handler);
        return args.handler;
      }
      case 'plugin:event|unlisten': {
        const list = listeners.get(args.event) || [];
        const i = list.indexOf(args.eventId);
        if (i !== -1) list.splice(i, 1);
        return null;
      }
      case 'plugin:event|emit':
        emit(args.event, args.payload);
        return null;
      default:
        throw fail('NOT_FOUND', `unknown event command ${cmd}`);
    }
  }

  // --- commands ------------------------------------------------------------------------------

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const copy = (v) => JSON.parse(JSON.stringify(v));

  function requireSession() {
    if (!state.session) throw fail('AUTH_REQUIRED', 'Please sign in.');
  }

  function requireConsent() {
    if (state.application.consent?.version !== CONSENT_VERSION) throw fail('CONSENT_REQUIRED');
  }

  /** What a pick or a drop turns into: a photo (its check may fail) or an error. */
  function takePhoto(side, next) {
    if (next && typeof next === 'object' && next.error) throw fail(next.error);
    state.local[side] = localPhoto(side, next && typeof next === 'object' ? next.check : next);
    return copy(state.local[side]);
  }

  function bump() {
    state.application.revision += 1;
    state.application.id = state.application.id || 'app-0001';
  }

  const commands = {
    app_set_locale: () => null,
    app_info: () => ({ api_url: 'https://staging.okpay.test', staging: state.staging, version: '0.1.0', mobile: false }),

    session_restore: () => {
      if (state.sessionError) throw fail(state.sessionError);
      return state.session ? { login: state.session } : null;
    },

    auth_login: ({ login, password }) => {
      if (!validLogin(login)) throw fail('LOGIN_INVALID');
      if (state.users[login] !== password) throw fail('AUTH_INVALID_CREDENTIALS', 'Wrong account or password.');
      state.session = login;
      return { login, warning: state.keychainWarning ? fail(state.keychainWarning) : null };
    },

    auth_register: ({ login, password }) => {
      if (!validLogin(login)) throw fail('LOGIN_INVALID');
      if (String(password).length < 8) throw fail('PASSWORD_TOO_SHORT');
      if (login in state.users) throw fail('ACCOUNT_EXISTS');
      state.users[login] = password;
      state.session = login;
      return { login };
    },

    auth_logout: () => {
      state.session = null;
      return null;
    },

    account_get: () => {
      requireSession();
      return {
        user_id: 'user-0001',
        login: state.session,
        tier: state.tier,
        limits: LIMITS[state.tier],
        verification: state.application.status,
      };
    },

    verification_get: () => {
      requireSession();
      return copy(state.application);
    },

    validate_fields: ({ name, idNumber, validity }) => ({
      ...fieldReport(name, idNumber),
      validity: validityCode(validity ?? null, idNumber),
    }),

    verification_consent: ({ version }) => {
      requireSession();
      if (version !== CONSENT_VERSION) throw fail('BAD_REQUEST', 'This is not the current consent text.');
      const a = state.application;
      if (a.consent?.version === CONSENT_VERSION) return copy(a);
      a.consent = { version, accepted_at: Math.floor(Date.now() / 1000) };
      if (a.status === 'none') a.status = 'draft';
      bump();
      return copy(a);
    },

    verification_save_personal: ({ name, idNumber, validity }) => {
      requireSession();
      if (['pending', 'approved'].includes(state.application.status)) throw fail('APPLICATION_LOCKED');
      requireConsent();
      const code = nameCode(name) || idCode(idNumber) || validityCode(validity ?? null, idNumber);
      if (code) throw fail(code);
      state.application.personal = {
        name: String(name).trim(),
        id_number: String(idNumber).replace(/\s/g, '').toUpperCase(),
        validity: validity ?? null,
      };
      if (state.application.status === 'none') state.application.status = 'draft';
      bump();
      return copy(state.application);
    },

    photo_pick: ({ side }) => {
      requireSession();
      requireConsent();
      const next = state.pickQueue[side].length > 0 ? state.pickQueue[side].shift() : 'ok';
      if (next === 'cancel') return null;
      return takePhoto(side, next);
    },

    photo_drop: ({ side, path }) => {
      requireSession();
      requireConsent();
      if (!state.dropped.has(path)) throw fail('FORBIDDEN', 'That file was not dropped on the window.');
      state.dropped.delete(path);
      const name = String(path).toLowerCase();
      if (!/\.(jpe?g|png|webp)$/.test(name)) throw fail('PHOTO_UNSUPPORTED_FORMAT');
      return takePhoto(side, name.includes('glare') ? 'glare' : name.includes('nocard') ? 'nocard' : 'ok');
    },

    photos_local: () => copy(state.local),

    // The live camera: answered by the real photo engine where the test exposes it as
    // window.__okpayEngine (camera.test.mjs); absent, the camera commands fail.
    camera_open: async ({ side }) => {
      state.camera = { side, busy: false };
      await engine('open', side);
      return null;
    },
    camera_close: () => {
      state.camera = null;
      return null;
    },
    camera_frame: async (bytes, options) => {
      if (!state.camera) throw fail('FORBIDDEN');
      const size = /^(\d+)x(\d+)$/.exec(options?.headers?.['x-okpay-frame'] ?? '');
      if (!size || !(bytes instanceof Uint8Array)) throw fail('BAD_REQUEST');
      // One frame at a time, as the shell does: one arriving meanwhile is dropped.
      if (state.camera.busy) return { dropped: true, quad: null, guidance: 'no_card', steady_ms: 0, ready: false };
      state.camera.busy = true;
      try {
        return await engine('frame', `${size[1]} ${size[2]}`, bytes);
      } finally {
        if (state.camera) state.camera.busy = false;
      }
    },
    photo_capture: async (bytes, options) => {
      requireSession();
      const side = options?.headers?.['x-okpay-side'];
      if (!['portrait', 'emblem'].includes(side) || !(bytes instanceof Uint8Array)) throw fail('BAD_REQUEST');
      state.local[side] = await engine('still', side, bytes);
      return copy(state.local[side]);
    },

    // The card reader: what config.cards says each side's card reads, config.cardChecks the
    // cross-checks (the real ones are okpay-ocr's, tested in Rust).
    card_read: ({ side }) => {
      requireSession();
      return state.local[side] ? copy(config.cards?.[side] ?? null) : null;
    },
    card_checks: () => copy(config.cardChecks ?? []),

    verification_submit: async () => {
      requireSession();
      const a = state.application;
      if (['pending', 'approved'].includes(a.status)) throw fail('APPLICATION_LOCKED');
      requireConsent();
      for (const side of ['portrait', 'emblem']) {
        const photo = state.local[side];
        if (photo && !photo.check.ok) throw fail(photo.check.reasons[0] || 'PHOTO_UNREADABLE');
      }
      const has = (side) => state.local[side] !== null || a.photos[side] !== null;
      if (!a.personal || !has('portrait') || !has('emblem')) throw fail('APPLICATION_INCOMPLETE');
      for (const side of ['portrait', 'emblem']) {
        const photo = state.local[side];
        if (!photo) continue;
        const total = photo.bytes;
        for (let step = 0; step <= 4; step++) {
          emit('upload-progress', { side, sent: Math.round((total * step) / 4), total });
          await sleep(state.uploadStepMs);
        }
        a.photos[side] = serverPhoto(side);
        state.local[side] = null;
      }
      a.status = 'pending';
      a.reasons = [];
      a.submitted_at = Math.floor(Date.now() / 1000);
      a.decided_at = null;
      bump();
      return copy(a);
    },
  };

  /** Bytes as base64, to cross the test's binding (which passes JSON). */
  function base64(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }

  /** Ask the test's photo engine (a request `kind` with `meta` and a body); its errors thrown. */
  async function engine(kind, meta, bytes = new Uint8Array(0)) {
    if (typeof window.__okpayEngine !== 'function') throw fail('INTERNAL', 'no camera in this fake shell');
    const reply = await window.__okpayEngine(kind, meta, base64(bytes));
    if (reply && typeof reply === 'object' && typeof reply.error === 'string') throw fail(reply.error);
    return reply;
  }

  async function invoke(cmd, args = {}, options = undefined) {
    if (cmd.startsWith('plugin:event|')) return eventPlugin(cmd, args);
    // A raw body (a frame, a photo) is logged by its size only.
    const logged = args instanceof Uint8Array ? { bytes: args.byteLength, headers: options?.headers } : { ...args };
    if ('password' in logged) logged.password = '<hidden>';
    state.calls.push({ cmd, args: logged });
    if (state.failNext[cmd]) {
      const err = state.failNext[cmd];
      delete state.failNext[cmd];
      throw err;
    }
    const handler = commands[cmd];
    if (!handler) throw `command ${cmd} not found`;
    return handler(args, options);
  }

  window.__TAURI_INTERNALS__ = window.__TAURI_INTERNALS__ || {};
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = window.__TAURI_EVENT_PLUGIN_INTERNALS__ || {};
  Object.assign(window.__TAURI_INTERNALS__, {
    invoke,
    transformCallback,
    unregisterCallback: (id) => callbacks.delete(id),
    runCallback: (id, data) => callbacks.get(id)?.(data),
    callbacks,
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
  });
  window.__TAURI_EVENT_PLUGIN_INTERNALS__.unregisterListener = (_event, id) => callbacks.delete(id);

  window.__fake = {
    state,
    emit,
    queuePick(side, ...results) {
      state.pickQueue[side].push(...results);
    },
    failNext(cmd, code) {
      state.failNext[cmd] = fail(code);
    },
    /** Files dragged onto the window and dropped at (x, y) in physical pixels. */
    drop(paths, x, y) {
      for (const p of paths) state.dropped.add(p);
      emit('tauri://drag-enter', { paths, position: { x, y } });
      emit('tauri://drag-over', { position: { x, y } });
      emit('tauri://drag-drop', { paths, position: { x, y } });
    },
    dragOver(x, y) {
      emit('tauri://drag-over', { position: { x, y } });
    },
    dragLeave() {
      emit('tauri://drag-leave', null);
    },
    /** The reviewer's decision: 'approved', or 'rejected' with reason codes. */
    decide(outcome, reasons = []) {
      const a = state.application;
      a.status = outcome;
      a.decided_at = Math.floor(Date.now() / 1000);
      a.reasons = reasons.map((code) => ({ code, target: REASON_TARGET[code] || 'id_number' }));
      if (outcome === 'approved') state.tier = 'verified';
      bump();
      emit('verification-changed', copy(a));
    },
    calls: (cmd) => state.calls.filter((c) => c.cmd === cmd),
    listenerCount: (event) => (listeners.get(event) || []).length,
  };

  // Like Tauri's `freezePrototype`: the UI must not rely on changing Object.prototype.
  if (config.freezePrototype !== false) Object.freeze(Object.prototype);

  // CSP violations are recorded so the tests can fail on any.
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
})();
