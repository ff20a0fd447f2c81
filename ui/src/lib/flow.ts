// The screen state machine as pure functions: which screen shows for which application
// status, where navigation leads, and which fields a rejection flags.

import type { MessageKey } from '../i18n/translate';
import {
  CONSENT_VERSION,
  type Application,
  type LocalPhoto,
  type LocalPhotos,
  type PhotoSide,
  type RejectReason,
  type ReasonTarget,
  type VerificationStatus,
} from './bindings';

export type Screen =
  | 'loading'
  | 'signin'
  | 'home'
  | 'intro'
  | 'consent'
  | 'form'
  | 'photos'
  | 'capture'
  | 'review'
  | 'waiting'
  | 'approved'
  | 'rejected'
  | 'help'
  | 'settings';

/** Screens open to everyone, reached from the header, that return to where the user was. */
export const ASIDE_SCREENS: readonly Screen[] = ['help', 'settings'];

/** Screens that collect or send sensitive personal information: consent comes first. */
const NEEDS_CONSENT: readonly Screen[] = ['form', 'photos', 'capture', 'review'];

/** True unless the application carries consent to the current consent text. */
export function needsConsent(app: Application | null): boolean {
  return app?.consent?.version !== CONSENT_VERSION;
}

/** The screen actually shown for a wanted one: the consent screen before any personal data. */
export function guardScreen(wanted: Screen, app: Application | null): Screen {
  return NEEDS_CONSENT.includes(wanted) && needsConsent(app) ? 'consent' : wanted;
}

/**
 * Where the home screen's primary button leads: a new verification starts with the
 * "before you start" screen, as does one whose consent is missing or out of date.
 */
export function startScreen(status: VerificationStatus, app: Application | null): Screen {
  const screen = screenForStatus(status);
  if (status === 'none' || (screen === 'form' && needsConsent(app))) return 'intro';
  return screen;
}

/** The screen for an application status (the form for one not submitted). */
export function screenForStatus(status: VerificationStatus): Screen {
  switch (status) {
    case 'none':
    case 'draft':
      return 'form';
    case 'pending':
      return 'waiting';
    case 'approved':
      return 'approved';
    case 'rejected':
      return 'rejected';
  }
}

/**
 * Where to land after a restored session, once the application is known: home while nothing
 * has started; a draft whose personal information was saved reopens on the photos (the form
 * was already passed, and photos picked before quitting are kept on the device); otherwise the
 * screen for the status.
 */
export function screenAfterRestore(application: Application | null): Screen {
  if (application === null || application.status === 'none') return 'home';
  if (application.status === 'draft' && application.personal !== null) return 'photos';
  return screenForStatus(application.status);
}

/** Catalog key of the home screen's primary button label for a status. */
export function primaryActionKey(status: VerificationStatus): MessageKey {
  switch (status) {
    case 'none':
      return 'home.action.start';
    case 'draft':
      return 'home.action.continue';
    case 'pending':
      return 'home.action.status';
    case 'approved':
    case 'rejected':
      return 'home.action.result';
  }
}

/** Screens the user may be on while a review outcome can arrive. */
const FOLLOWS_REVIEW: readonly Screen[] = ['waiting', 'review', 'approved', 'rejected'];

/**
 * The screen to show when a `verification-changed` event (or a re-fetch) brings a new
 * application while `current` is showing. Screens where the user is editing are left alone.
 */
export function screenOnChange(current: Screen, status: VerificationStatus): Screen {
  if (!FOLLOWS_REVIEW.includes(current)) return current;
  if (current === 'review' && status !== 'pending') return current;
  if (status === 'pending' || status === 'approved' || status === 'rejected') {
    return screenForStatus(status);
  }
  return current;
}

/** Whether the form/photos/review screens may be opened: not while under review or done. */
export function isEditable(status: VerificationStatus): boolean {
  return status === 'none' || status === 'draft' || status === 'rejected';
}

/** A local photo passed the local check (a photo without a check counts as passed). */
export function photoPassed(photo: LocalPhoto): boolean {
  return photo.check?.ok ?? true;
}

/**
 * True when a usable photo of `side` is present: picked locally and passing the local
 * check, or (with nothing picked) on the server. A failing local photo blocks its side.
 */
export function hasPhoto(side: PhotoSide, local: LocalPhotos, app: Application | null): boolean {
  const picked = local[side];
  if (picked !== null) return photoPassed(picked);
  return (app?.photos[side] ?? null) !== null;
}

/** The photos screen's next button is enabled when both sides are present and usable. */
export function photosComplete(local: LocalPhotos, app: Application | null): boolean {
  return hasPhoto('portrait', local, app) && hasPhoto('emblem', local, app);
}

/** The order reason groups appear in on the rejected screen. */
const TARGET_ORDER: readonly ReasonTarget[] = [
  'name',
  'id_number',
  'validity',
  'portrait',
  'emblem',
];

/** Reasons grouped by what they concern, in display order; empty groups left out. */
export function groupReasons(
  reasons: readonly RejectReason[],
): { target: ReasonTarget; codes: string[] }[] {
  const groups: { target: ReasonTarget; codes: string[] }[] = [];
  for (const target of TARGET_ORDER) {
    const codes = reasons.filter((r) => r.target === target).map((r) => r.code);
    if (codes.length > 0) groups.push({ target, codes: [...new Set(codes)] });
  }
  return groups;
}

/** Reason codes flagged on one field or photo side while fixing a rejection. */
export function flagsFor(reasons: readonly RejectReason[], target: ReasonTarget): string[] {
  return [...new Set(reasons.filter((r) => r.target === target).map((r) => r.code))];
}
