// The screen state machine: which screen for which status and event.

import { describe, expect, it } from 'vitest';
import {
  flagsFor,
  groupReasons,
  guardScreen,
  needsConsent,
  startScreen,
  isEditable,
  photosComplete,
  primaryActionKey,
  screenAfterRestore,
  screenForStatus,
  screenOnChange,
  type Screen,
} from '../../src/lib/flow';
import {
  CONSENT_VERSION,
  VERIFICATION_STATUSES,
  type Application,
  type LocalPhoto,
  type LocalPhotos,
  type PhotoInfo,
  type RejectReason,
} from '../../src/lib/bindings';

const STATUSES = VERIFICATION_STATUSES;

function application(over: Partial<Application> = {}): Application {
  return {
    id: 'app-1',
    status: 'draft',
    revision: 1,
    personal: null,
    photos: { portrait: null, emblem: null },
    submitted_at: null,
    decided_at: null,
    reasons: [],
    consent: null,
    ...over,
  };
}

const localPhoto = (side: 'portrait' | 'emblem', ok = true): LocalPhoto => ({
  side,
  preview: 'data:image/jpeg;base64,AA==',
  width: 1200,
  height: 760,
  bytes: 1000,
  format: 'jpeg',
  check: {
    ok,
    reasons: ok ? [] : ['PHOTO_GLARE'],
    quad: [
      [10, 10],
      [1190, 10],
      [1190, 750],
      [10, 750],
    ],
    glare: ok ? [] : [{ x: 900, y: 40, width: 120, height: 80 }],
    missing_corners: [],
  },
});

const consented = { version: CONSENT_VERSION, accepted_at: 1_790_000_000 };

const serverPhoto = (side: 'portrait' | 'emblem'): PhotoInfo => ({
  side,
  sha256: 'ab'.repeat(32),
  bytes: 1000,
  width: 1200,
  height: 760,
});

describe('screenForStatus', () => {
  it('maps each status to its screen', () => {
    expect(screenForStatus('none')).toBe('form');
    expect(screenForStatus('draft')).toBe('form');
    expect(screenForStatus('pending')).toBe('waiting');
    expect(screenForStatus('approved')).toBe('approved');
    expect(screenForStatus('rejected')).toBe('rejected');
  });

  it('has a button label for each status', () => {
    expect(STATUSES.map(primaryActionKey)).toEqual([
      'home.action.start',
      'home.action.continue',
      'home.action.status',
      'home.action.result',
      'home.action.result',
    ]);
  });
});

describe('screenAfterRestore', () => {
  it('stays home while nothing has started, otherwise opens the status screen', () => {
    expect(screenAfterRestore(null)).toBe('home');
    expect(screenAfterRestore(application({ status: 'none', personal: null }))).toBe('home');
    expect(screenAfterRestore(application({ status: 'draft', personal: null }))).toBe('form');
    expect(screenAfterRestore(application({ status: 'pending' }))).toBe('waiting');
    expect(screenAfterRestore(application({ status: 'approved' }))).toBe('approved');
    expect(screenAfterRestore(application({ status: 'rejected' }))).toBe('rejected');
  });

  it('reopens a draft past its saved form on the photos step', () => {
    const personal = { name: '张三', id_number: '11010519491231002X', validity: null };
    expect(screenAfterRestore(application({ status: 'draft', personal }))).toBe('photos');
  });
});

describe('screenOnChange', () => {
  it('moves the waiting screen to the outcome', () => {
    expect(screenOnChange('waiting', 'approved')).toBe('approved');
    expect(screenOnChange('waiting', 'rejected')).toBe('rejected');
    expect(screenOnChange('waiting', 'pending')).toBe('waiting');
  });

  it('moves review to waiting once submitted, but not while fixing a rejection', () => {
    expect(screenOnChange('review', 'pending')).toBe('waiting');
    expect(screenOnChange('review', 'rejected')).toBe('review');
    expect(screenOnChange('review', 'draft')).toBe('review');
  });

  it('leaves the editing screens, home and sign-in alone', () => {
    const still: Screen[] = ['signin', 'home', 'form', 'photos', 'loading'];
    for (const screen of still) {
      for (const status of STATUSES) expect(screenOnChange(screen, status)).toBe(screen);
    }
  });

  it('follows a new review outcome from a result screen', () => {
    expect(screenOnChange('rejected', 'pending')).toBe('waiting');
    expect(screenOnChange('approved', 'approved')).toBe('approved');
  });
});

describe('editing and photos', () => {
  it('allows editing only before submission or after a rejection', () => {
    expect(STATUSES.filter(isEditable)).toEqual(['none', 'draft', 'rejected']);
  });

  it('needs both sides, local or on the server', () => {
    const none: LocalPhotos = { portrait: null, emblem: null };
    expect(photosComplete(none, null)).toBe(false);
    expect(photosComplete({ portrait: localPhoto('portrait'), emblem: null }, null)).toBe(false);
    expect(
      photosComplete({ portrait: localPhoto('portrait'), emblem: localPhoto('emblem') }, null),
    ).toBe(true);
    const onServer = application({
      photos: { portrait: serverPhoto('portrait'), emblem: serverPhoto('emblem') },
    });
    expect(photosComplete(none, onServer)).toBe(true);
    const mixed = application({ photos: { portrait: null, emblem: serverPhoto('emblem') } });
    expect(photosComplete({ portrait: localPhoto('portrait'), emblem: null }, mixed)).toBe(true);
    expect(photosComplete(none, mixed)).toBe(false);
  });

  it('does not count a local photo that failed the check, even over one on the server', () => {
    const onServer = application({
      photos: { portrait: serverPhoto('portrait'), emblem: serverPhoto('emblem') },
    });
    const failing = { portrait: localPhoto('portrait', false), emblem: localPhoto('emblem') };
    expect(photosComplete(failing, null)).toBe(false);
    expect(photosComplete(failing, onServer)).toBe(false);
    expect(photosComplete({ portrait: null, emblem: localPhoto('emblem') }, onServer)).toBe(true);
  });
});

describe('consent', () => {
  it('is needed until the current text was agreed to', () => {
    expect(needsConsent(null)).toBe(true);
    expect(needsConsent(application())).toBe(true);
    expect(needsConsent(application({ consent: null }))).toBe(true);
    expect(needsConsent(application({ consent: { version: '2020-01', accepted_at: 1 } }))).toBe(
      true,
    );
    expect(needsConsent(application({ consent: consented }))).toBe(false);
  });

  it('comes before any screen with personal data', () => {
    const without = application();
    const withIt = application({ consent: consented });
    for (const screen of ['form', 'photos', 'review'] as Screen[]) {
      expect(guardScreen(screen, without)).toBe('consent');
      expect(guardScreen(screen, null)).toBe('consent');
      expect(guardScreen(screen, withIt)).toBe(screen);
    }
    for (const screen of ['home', 'intro', 'waiting', 'help', 'settings'] as Screen[]) {
      expect(guardScreen(screen, without)).toBe(screen);
    }
  });

  it('starts a new verification with the intro; a draft with consent goes on to the form', () => {
    expect(startScreen('none', null)).toBe('intro');
    expect(startScreen('none', application({ status: 'none', consent: consented }))).toBe('intro');
    expect(startScreen('draft', application())).toBe('intro');
    expect(startScreen('draft', application({ consent: consented }))).toBe('form');
    expect(startScreen('pending', application())).toBe('waiting');
    expect(startScreen('approved', application())).toBe('approved');
    expect(startScreen('rejected', application())).toBe('rejected');
  });
});

describe('rejection reasons', () => {
  const reasons: RejectReason[] = [
    { code: 'EMBLEM_GLARE', target: 'emblem' },
    { code: 'NAME_MISMATCH', target: 'name' },
    { code: 'EMBLEM_BLURRY', target: 'emblem' },
    { code: 'EMBLEM_GLARE', target: 'emblem' },
  ];

  it('groups by target in form order, without duplicates', () => {
    expect(groupReasons(reasons)).toEqual([
      { target: 'name', codes: ['NAME_MISMATCH'] },
      { target: 'emblem', codes: ['EMBLEM_GLARE', 'EMBLEM_BLURRY'] },
    ]);
    expect(groupReasons([])).toEqual([]);
  });

  it('flags only the concerned parts', () => {
    expect(flagsFor(reasons, 'name')).toEqual(['NAME_MISMATCH']);
    expect(flagsFor(reasons, 'id_number')).toEqual([]);
    expect(flagsFor(reasons, 'portrait')).toEqual([]);
    expect(flagsFor(reasons, 'emblem')).toEqual(['EMBLEM_GLARE', 'EMBLEM_BLURRY']);
  });
});
