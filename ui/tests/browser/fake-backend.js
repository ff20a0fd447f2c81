// A fake app shell for browser tests, loaded with page.addInitScript before the UI starts.
// It installs the same hooks as mockIPC from '@tauri-apps/api/mocks' (window.__TAURI_INTERNALS__
// invoke/transformCallback and the event plugin), answers every IPC command of the app from an
// in-memory state, and exposes window.__fake so a test can queue pick results, decide the
// review and emit events. Configure it by setting window.__FAKE_CONFIG__ first.
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
  const TARGETS = {
    NAME_MISMATCH: 'name',
    ID_NUMBER_MISMATCH: 'id_number',
    VALIDITY_EXPIRED: 'validity',
    PORTRAIT_BLURRY: 'portrait',
    PORTRAIT_GLARE: 'portrait',
    PORTRAIT_CORNER_MISSING: 'portrait',
    PORTRAIT_NOT_ORIGINAL: 'portrait',
    EMBLEM_BLURRY: 'emblem',
    EMBLEM_GLARE: 'emblem',
    EMBLEM_CORNER_MISSING: 'emblem',
    EMBLEM_NOT_ORIGINAL: 'emblem',
  };

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

  // --- a picked photo: a drawn card, downscaled to a JPEG data URL -----------------------

  function drawCard(side) {
    const canvas = document.createElement('canvas');
    canvas.width = 428;
    canvas.height = 270;
    const g = canvas.getContext('2d');
    g.fillStyle = side === 'portrait' ? '#dfeaf7' : '#f7eedf';
    g.fillRect(0, 0, 428, 270);
    g.strokeStyle = '#7d8ea3';
    g.lineWidth = 4;
    g.strokeRect(6, 6, 416, 258);
    g.fillStyle = '#34495e';
    if (side === 'portrait') {
      g.fillRect(300, 50, 100, 130);
      for (let i = 0; i < 5; i++) g.fillRect(30, 50 + i * 34, 220 - i * 20, 12);
      g.fillRect(30, 225, 360, 14);
    } else {
      g.beginPath();
      g.arc(80, 80, 45, 0, Math.PI * 2);
      g.fill();
      for (let i = 0; i < 4; i++) g.fillRect(150, 60 + i * 36, 240 - i * 25, 14);
    }
    return canvas.toDataURL('image/jpeg', 0.8);
  }

  function localPhoto(side) {
    return { side, preview: drawCard(side), width: 1280, height: 808, bytes: 245760, format: 'jpeg' };
  }

  for (const side of config.localPhotos || []) state.local[side] = localPhoto(side);

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

  function bump() {
    state.application.revision += 1;
    state.application.id = state.application.id || 'app-0001';
  }

  const commands = {
    app_info: () => ({ api_url: 'https://staging.okpay.test', staging: state.staging, version: '0.1.0' }),

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

    validate_fields: ({ name, idNumber }) => fieldReport(name, idNumber),

    verification_save_personal: ({ name, idNumber }) => {
      requireSession();
      const code = nameCode(name) || idCode(idNumber);
      if (code) throw fail(code);
      if (['pending', 'approved'].includes(state.application.status)) throw fail('APPLICATION_LOCKED');
      state.application.personal = {
        name: String(name).trim(),
        id_number: String(idNumber).replace(/\s/g, '').toUpperCase(),
        validity: null,
      };
      if (state.application.status === 'none') state.application.status = 'draft';
      bump();
      return copy(state.application);
    },

    photo_pick: ({ side }) => {
      requireSession();
      const next = state.pickQueue[side].length > 0 ? state.pickQueue[side].shift() : 'ok';
      if (next === 'cancel') return null;
      if (next && typeof next === 'object' && next.error) throw fail(next.error);
      state.local[side] = localPhoto(side);
      return state.local[side];
    },

    photos_local: () => copy(state.local),

    verification_submit: async () => {
      requireSession();
      const a = state.application;
      if (['pending', 'approved'].includes(a.status)) throw fail('APPLICATION_LOCKED');
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

  async function invoke(cmd, args = {}) {
    if (cmd.startsWith('plugin:event|')) return eventPlugin(cmd, args);
    const logged = { ...args };
    if ('password' in logged) logged.password = '<hidden>';
    state.calls.push({ cmd, args: logged });
    if (state.failNext[cmd]) {
      const err = state.failNext[cmd];
      delete state.failNext[cmd];
      throw err;
    }
    const handler = commands[cmd];
    if (!handler) throw `command ${cmd} not found`;
    return handler(args);
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
    /** The reviewer's decision: 'approved', or 'rejected' with reason codes. */
    decide(outcome, reasons = []) {
      const a = state.application;
      a.status = outcome;
      a.decided_at = Math.floor(Date.now() / 1000);
      a.reasons = reasons.map((code) => ({ code, target: TARGETS[code] || 'id_number' }));
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
