// The screen state machine as pure functions: which screen shows for which application
// status, where navigation leads, and which fields a rejection flags.

import type {
  Application,
  LocalPhotos,
  PhotoSide,
  RejectReason,
  ReasonTarget,
  VerificationStatus,
} from './types';

export type Screen =
  | 'loading'
  | 'signin'
  | 'home'
  | 'form'
  | 'photos'
  | 'review'
  | 'waiting'
  | 'approved'
  | 'rejected';

/** Screens that need a signed-in user. */
export const SIGNED_IN_SCREENS: readonly Screen[] = [
  'home',
  'form',
  'photos',
  'review',
  'waiting',
  'approved',
  'rejected',
];

/** Where the home screen's primary button leads for an application status. */
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
 * has started, otherwise the screen for the status.
 */
export function screenAfterRestore(status: VerificationStatus | null): Screen {
  if (status === null || status === 'none') return 'home';
  return screenForStatus(status);
}

/** Catalog key of the home screen's primary button label for a status. */
export function primaryActionKey(status: VerificationStatus): string {
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

/** True when a photo of `side` is present, either picked locally or on the server. */
export function hasPhoto(side: PhotoSide, local: LocalPhotos, app: Application | null): boolean {
  return local[side] !== null || (app?.photos[side] ?? null) !== null;
}

/** The photos screen's next button is enabled when both sides are present. */
export function photosComplete(local: LocalPhotos, app: Application | null): boolean {
  return hasPhoto('portrait', local, app) && hasPhoto('emblem', local, app);
}

/** The order reason groups appear in on the rejected screen. */
export const TARGET_ORDER: readonly ReasonTarget[] = [
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
