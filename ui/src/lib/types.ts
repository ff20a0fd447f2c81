// Wire shapes the app shell sends over IPC (snake_case JSON), mirroring
// crates/okpay-rules/src/contract.rs and error.rs.

export type Tier = 'unverified' | 'verified';
export type VerificationStatus = 'none' | 'draft' | 'pending' | 'approved' | 'rejected';
export type PhotoSide = 'portrait' | 'emblem';
export type ReasonTarget = 'name' | 'id_number' | 'validity' | 'portrait' | 'emblem';

export const PHOTO_SIDES: readonly PhotoSide[] = ['portrait', 'emblem'];

export interface AppInfo {
  api_url: string;
  staging: boolean;
  version: string;
  /** Android or iOS: photos come from the camera or the photo library. */
  mobile: boolean;
}

export interface SessionInfo {
  login: string;
  /** Set when signed in but the session could not be kept (e.g. KEYCHAIN_UNAVAILABLE). */
  warning?: WireError | null;
}

export interface Limits {
  currency: string;
  single_transfer: number;
  daily_transfer: number;
  daily_withdrawal: number;
}

export interface Account {
  user_id: string;
  login: string;
  tier: Tier;
  limits: Limits;
  verification: VerificationStatus;
}

export interface Validity {
  start: string | null;
  end: string | null;
  long_term: boolean;
}

/** The consent to processing sensitive personal information the user gave, and when. */
export interface Consent {
  version: string;
  /** Unix seconds. */
  accepted_at: number;
}

export interface PersonalInfo {
  name: string;
  id_number: string;
  validity: Validity | null;
}

export interface PhotoInfo {
  side: PhotoSide;
  sha256: string;
  bytes: number;
  width: number;
  height: number;
}

export interface Photos {
  portrait: PhotoInfo | null;
  emblem: PhotoInfo | null;
}

export interface RejectReason {
  /** A ReasonCode wire name such as `PORTRAIT_GLARE`. */
  code: string;
  target: ReasonTarget;
}

export interface Application {
  id: string | null;
  status: VerificationStatus;
  revision: number;
  personal: PersonalInfo | null;
  photos: Photos;
  submitted_at: number | null;
  decided_at: number | null;
  reasons: RejectReason[];
  /** Null until the user agrees to the current consent text. */
  consent?: Consent | null;
}

/** Per-field error codes from `validate_fields` (null when the field is fine). */
export interface FieldErrors {
  name: string | null;
  id_number: string | null;
  /** Valid but worth a second look, e.g. `ID_UNKNOWN_REGION`. */
  id_warnings?: string[];
  id_kind?: string | null;
  /** Birth date from the number, `YYYY-MM-DD`. */
  birth?: string | null;
  sex?: 'male' | 'female' | null;
  /** The 18-digit form of a valid legacy 15-digit number. */
  upgraded?: string | null;
  /** A valid number whose holder may not verify, e.g. `ID_UNDERAGE`. */
  eligibility?: string | null;
  /** The validity period's error code (e.g. `VALIDITY_EXPIRED`), null when fine or not given. */
  validity?: string | null;
}

export type Corner = 'top_left' | 'top_right' | 'bottom_right' | 'bottom_left';

export const CORNERS: readonly Corner[] = ['top_left', 'top_right', 'bottom_right', 'bottom_left'];

export type Point = readonly [number, number];

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the local check found in a photo, in the photo's own pixels (width × height). */
export interface PhotoCheck {
  ok: boolean;
  /** ErrorCode wire names, e.g. `PHOTO_GLARE`. */
  reasons: string[];
  /** The card's corners TL, TR, BR, BL; may lie outside the frame. Null: no card found. */
  quad: [Point, Point, Point, Point] | null;
  glare: Box[];
  missing_corners: Corner[];
}

/** A photo picked on this device and not uploaded yet. */
export interface LocalPhoto {
  side: PhotoSide;
  /** `data:image/jpeg;base64,...`, downscaled for display. */
  preview: string;
  width: number;
  height: number;
  bytes: number;
  format: string;
  /** The local check; a photo that is not ok is shown but never uploaded. */
  check: PhotoCheck;
}

export interface LocalPhotos {
  portrait: LocalPhoto | null;
  emblem: LocalPhoto | null;
}

export interface UploadProgress {
  side: PhotoSide;
  sent: number;
  total: number;
}

/** The one error shape every failed IPC call rejects with. */
export interface WireError {
  code: string;
  message: string;
}
