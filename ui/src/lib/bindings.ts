// Generated from the Rust types by `OKPAY_UPDATE_BINDINGS=1 cargo test -p okpay-app --lib bindings`.
// Do not edit: a test fails when this file and the Rust side differ.

export type ErrorCode = "NETWORK_UNREACHABLE" | "NETWORK_TIMEOUT" | "INSECURE_URL" | "BAD_RESPONSE" | "SERVER_ERROR" | "SERVICE_UNAVAILABLE" | "CANCELLED" | "INTERNAL" | "BAD_REQUEST" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "FORBIDDEN" | "PAYLOAD_TOO_LARGE" | "RATE_LIMITED" | "AUTH_INVALID_CREDENTIALS" | "AUTH_REQUIRED" | "AUTH_SESSION_EXPIRED" | "ACCOUNT_EXISTS" | "PASSWORD_TOO_SHORT" | "LOGIN_INVALID" | "KEYCHAIN_UNAVAILABLE" | "KEYCHAIN_LOCKED" | "KEYCHAIN_TIMEOUT" | "NAME_EMPTY" | "NAME_TOO_SHORT" | "NAME_TOO_LONG" | "NAME_BAD_CHAR" | "ID_EMPTY" | "ID_BAD_LENGTH" | "ID_BAD_CHAR" | "ID_BAD_CHECKSUM" | "ID_BAD_BIRTHDATE" | "PHOTO_UNREADABLE" | "PHOTO_UNSUPPORTED_FORMAT" | "PHOTO_TOO_LARGE" | "PHOTO_LOW_RESOLUTION" | "PHOTO_MISSING" | "APPLICATION_INCOMPLETE" | "APPLICATION_LOCKED" | "IDEMPOTENCY_CONFLICT" | "ID_BAD_REGION" | "ID_UNKNOWN_REGION" | "ID_FUTURE_BIRTHDATE" | "ID_TOO_OLD" | "ID_LEGACY15" | "ID_UNDERAGE" | "NAME_HAS_DIGIT" | "NAME_HAS_EMOJI" | "NAME_INVISIBLE_CHAR" | "NAME_BAD_SEPARATOR" | "NAME_MIXED_SCRIPT" | "VALIDITY_MISSING" | "VALIDITY_BAD_DATE" | "VALIDITY_START_IN_FUTURE" | "VALIDITY_START_BEFORE_BIRTH" | "VALIDITY_END_BEFORE_START" | "VALIDITY_EXPIRED" | "VALIDITY_EXPIRING_SOON" | "VALIDITY_LENGTH_MISMATCH" | "VALIDITY_LONG_TERM_NOT_ALLOWED" | "PHOTO_CARD_NOT_FOUND" | "PHOTO_CARD_TOO_SMALL" | "PHOTO_CORNER_MISSING" | "PHOTO_BLURRY" | "PHOTO_TOO_DARK" | "PHOTO_OVEREXPOSED" | "PHOTO_GLARE" | "PHOTO_SHADOW" | "PHOTO_DUPLICATE_SIDES" | "CONSENT_REQUIRED" | "NAME_MISMATCH" | "ID_NUMBER_MISMATCH" | "CARD_BIRTH_MISMATCH" | "CARD_SEX_MISMATCH" | "VALIDITY_MISMATCH" | "PHOTO_WRONG_SIDE" | "OCR_UNAVAILABLE" | "REQUEST_TIMEOUT" | "SUPPORT_CLOSED" | "UNKNOWN";
export type ApiError = { code: ErrorCode, message: string, };
export type Tier = "unverified" | "verified";
export type Limits = { currency: string, single_transfer: number, daily_transfer: number, daily_withdrawal: number, };
export type Account = { user_id: string, login: string, tier: Tier, limits: Limits, verification: VerificationStatus, };
export type VerificationStatus = "none" | "draft" | "pending" | "approved" | "rejected";
export type PhotoSide = "portrait" | "emblem";
export type Validity = { 
/**
 * `YYYY-MM-DD`.
 */
start: string | null, 
/**
 * `YYYY-MM-DD`; absent when `long_term`.
 */
end: string | null, 
/**
 * 长期: no end date.
 */
long_term: boolean, };
export type PersonalInfo = { name: string, id_number: string, validity: Validity | null, };
export type PhotoInfo = { side: PhotoSide, 
/**
 * Hex SHA-256 of the stored bytes.
 */
sha256: string, bytes: number, width: number, height: number, };
export type Photos = { portrait: PhotoInfo | null, emblem: PhotoInfo | null, };
export type ReasonTarget = "name" | "id_number" | "validity" | "portrait" | "emblem";
export type ReasonCode = "NAME_MISMATCH" | "ID_NUMBER_MISMATCH" | "VALIDITY_EXPIRED" | "PORTRAIT_BLURRY" | "PORTRAIT_GLARE" | "PORTRAIT_CORNER_MISSING" | "PORTRAIT_NOT_ORIGINAL" | "EMBLEM_BLURRY" | "EMBLEM_GLARE" | "EMBLEM_CORNER_MISSING" | "EMBLEM_NOT_ORIGINAL" | "VALIDITY_MISMATCH" | "PORTRAIT_WRONG_SIDE" | "PORTRAIT_UNREADABLE" | "EMBLEM_WRONG_SIDE" | "EMBLEM_UNREADABLE" | "UNKNOWN";
export type RejectReason = { code: ReasonCode, target: ReasonTarget, };
export type Consent = { 
/**
 * The [`CONSENT_VERSION`] agreed to.
 */
version: string, 
/**
 * Unix seconds.
 */
accepted_at: number, };
export type Application = { 
/**
 * Absent while the status is `none`.
 */
id: string | null, status: VerificationStatus, 
/**
 * Increases on every change; the long poll waits for a revision above the caller's.
 */
revision: number, personal: PersonalInfo | null, photos: Photos, 
/**
 * Unix seconds.
 */
submitted_at: number | null, decided_at: number | null, 
/**
 * Non-empty only when `status` is `rejected`.
 */
reasons: Array<RejectReason>, 
/**
 * The consent to process sensitive personal information, when given.
 */
consent: Consent | null, };
export type IdKind = "resident" | "hong_kong_permit" | "macau_permit" | "taiwan_permit" | "foreign_permanent" | "legacy15";
export type Sex = "male" | "female";
export type FieldErrors = { name: ErrorCode | null, 
/**
 * Why the number cannot be submitted (`ID_LEGACY15` for a valid 15-digit number).
 */
id_number: ErrorCode | null, 
/**
 * Valid but worth a second look, e.g. `ID_UNKNOWN_REGION`.
 */
id_warnings: Array<ErrorCode>, 
/**
 * `resident`, `hong_kong_permit`, `macau_permit`, `taiwan_permit`, `foreign_permanent`,
 * `legacy15`; absent when the number cannot be read.
 */
id_kind: IdKind | null, 
/**
 * Birth date from the number, `YYYY-MM-DD`.
 */
birth: string | null, 
/**
 * `male` / `female`, from the number.
 */
sex: Sex | null, 
/**
 * "Did you mean …": the 18-digit form of a valid 15-digit number.
 */
upgraded: string | null, 
/**
 * A valid number whose holder may not verify (`ID_UNDERAGE`).
 */
eligibility: ErrorCode | null, 
/**
 * The validity period's first error (`VALIDITY_*`), when one was given and the number
 * can be read.
 */
validity: ErrorCode | null, 
/**
 * Valid but worth a look, e.g. `VALIDITY_EXPIRING_SOON`.
 */
validity_warnings: Array<ErrorCode>, 
/**
 * Days until the card expires (negative once expired; absent for 长期).
 */
validity_days_left: number | null, };
export type Rect = { x: number, y: number, width: number, height: number, };
export type Corner = "top_left" | "top_right" | "bottom_right" | "bottom_left";
export type PhotoCheck = { ok: boolean, 
/**
 * Stable `PHOTO_*` codes, most fundamental first.
 */
reasons: Array<ErrorCode>, 
/**
 * Card corners TL, TR, BR, BL; may lie outside the frame.
 */
quad: [[number, number], [number, number], [number, number], [number, number]] | null, glare: Array<Rect>, missing_corners: Array<Corner>, };
export type LocalPhoto = { side: PhotoSide, 
/**
 * `data:image/jpeg;base64,…`
 */
preview: string, width: number, height: number, 
/**
 * Size of the prepared upload (0 when the photo failed).
 */
bytes: number, 
/**
 * Format of the original file: `jpeg`, `png` or `webp`.
 */
format: string, check: PhotoCheck, };
export type LocalPhotos = { portrait: LocalPhoto | null, emblem: LocalPhoto | null, };
export type AppInfo = { api_url: string, staging: boolean, version: string, 
/**
 * Android or iOS: photos come from the camera or the photo library, not a file dialog.
 */
mobile: boolean, };
export type SessionInfo = { login: string, warning: ApiError | null, };
export type UploadProgress = { side: PhotoSide, sent: number, total: number, };
export type CardSide = "portrait" | "emblem" | "unknown";
export type FieldKey = "name" | "sex" | "ethnicity" | "birth" | "address" | "id_number" | "authority" | "valid_from" | "valid_to";
export type FieldView = { key: FieldKey, text: string, confidence: number, 
/**
 * `data:image/jpeg;base64,…`: the field cut from the photo.
 */
crop: string, };
export type CardView = { 
/**
 * The slot the photo is in.
 */
side: PhotoSide, 
/**
 * The side it shows.
 */
read_as: CardSide, upside_down: boolean, fields: Array<FieldView>, };
export type Checked = "portrait_side" | "emblem_side" | "name" | "id_number" | "birth" | "sex" | "validity" | "expiry" | "term";
export type NotChecked = "not_read" | "unsure" | "misread" | "unknown_character" | "not_typed";
export type Outcome = { "result": "match" } | { "result": "mismatch", code: ErrorCode, read: string, } | { "result": "not_checked", why: NotChecked, };
export type Check = { checked: Checked, } & ({ "result": "match" } | { "result": "mismatch", code: ErrorCode, read: string, } | { "result": "not_checked", why: NotChecked, });
export type Guidance = "no_card" | "fit_card" | "move_closer" | "too_dark" | "too_bright" | "glare" | "hold_still" | "shadow" | "steady";
export type FrameView = { 
/**
 * Another frame was being judged: this one was dropped (nothing else is set).
 */
dropped: boolean, 
/**
 * The card's corners (TL, TR, BR, BL) in frame pixels, when found.
 */
quad: [[number, number], [number, number], [number, number], [number, number]] | null, guidance: Guidance, 
/**
 * How long the card has been good and still, in ms.
 */
steady_ms: number, 
/**
 * Take the picture now.
 */
ready: boolean, };

/** The consent text version the app shows (PIPL). */
export const CONSENT_VERSION = "2026-11";
/** The header of `photo_capture` that names the side. */
export const PHOTO_SIDE_HEADER = "x-okpay-side";
/** The largest photo file the shell takes. */
export const MAX_PHOTO_BYTES = 20971520;
/** The header of `camera_frame` with the frame's size, `WIDTHxHEIGHT`. */
export const FRAME_HEADER = "x-okpay-frame";
/** How long the card must stay good and still before the picture is taken, ms. */
export const STEADY_MS = 500;

// Every value of the string unions, for lists and tests.
export const ERROR_CODES: readonly ErrorCode[] = ["NETWORK_UNREACHABLE", "NETWORK_TIMEOUT", "INSECURE_URL", "BAD_RESPONSE", "SERVER_ERROR", "SERVICE_UNAVAILABLE", "CANCELLED", "INTERNAL", "BAD_REQUEST", "NOT_FOUND", "METHOD_NOT_ALLOWED", "FORBIDDEN", "PAYLOAD_TOO_LARGE", "RATE_LIMITED", "AUTH_INVALID_CREDENTIALS", "AUTH_REQUIRED", "AUTH_SESSION_EXPIRED", "ACCOUNT_EXISTS", "PASSWORD_TOO_SHORT", "LOGIN_INVALID", "KEYCHAIN_UNAVAILABLE", "KEYCHAIN_LOCKED", "KEYCHAIN_TIMEOUT", "NAME_EMPTY", "NAME_TOO_SHORT", "NAME_TOO_LONG", "NAME_BAD_CHAR", "ID_EMPTY", "ID_BAD_LENGTH", "ID_BAD_CHAR", "ID_BAD_CHECKSUM", "ID_BAD_BIRTHDATE", "PHOTO_UNREADABLE", "PHOTO_UNSUPPORTED_FORMAT", "PHOTO_TOO_LARGE", "PHOTO_LOW_RESOLUTION", "PHOTO_MISSING", "APPLICATION_INCOMPLETE", "APPLICATION_LOCKED", "IDEMPOTENCY_CONFLICT", "ID_BAD_REGION", "ID_UNKNOWN_REGION", "ID_FUTURE_BIRTHDATE", "ID_TOO_OLD", "ID_LEGACY15", "ID_UNDERAGE", "NAME_HAS_DIGIT", "NAME_HAS_EMOJI", "NAME_INVISIBLE_CHAR", "NAME_BAD_SEPARATOR", "NAME_MIXED_SCRIPT", "VALIDITY_MISSING", "VALIDITY_BAD_DATE", "VALIDITY_START_IN_FUTURE", "VALIDITY_START_BEFORE_BIRTH", "VALIDITY_END_BEFORE_START", "VALIDITY_EXPIRED", "VALIDITY_EXPIRING_SOON", "VALIDITY_LENGTH_MISMATCH", "VALIDITY_LONG_TERM_NOT_ALLOWED", "PHOTO_CARD_NOT_FOUND", "PHOTO_CARD_TOO_SMALL", "PHOTO_CORNER_MISSING", "PHOTO_BLURRY", "PHOTO_TOO_DARK", "PHOTO_OVEREXPOSED", "PHOTO_GLARE", "PHOTO_SHADOW", "PHOTO_DUPLICATE_SIDES", "CONSENT_REQUIRED", "NAME_MISMATCH", "ID_NUMBER_MISMATCH", "CARD_BIRTH_MISMATCH", "CARD_SEX_MISMATCH", "VALIDITY_MISMATCH", "PHOTO_WRONG_SIDE", "OCR_UNAVAILABLE", "REQUEST_TIMEOUT", "SUPPORT_CLOSED", "UNKNOWN"];
export const REASON_CODES: readonly ReasonCode[] = ["NAME_MISMATCH", "ID_NUMBER_MISMATCH", "VALIDITY_EXPIRED", "PORTRAIT_BLURRY", "PORTRAIT_GLARE", "PORTRAIT_CORNER_MISSING", "PORTRAIT_NOT_ORIGINAL", "EMBLEM_BLURRY", "EMBLEM_GLARE", "EMBLEM_CORNER_MISSING", "EMBLEM_NOT_ORIGINAL", "VALIDITY_MISMATCH", "PORTRAIT_WRONG_SIDE", "PORTRAIT_UNREADABLE", "EMBLEM_WRONG_SIDE", "EMBLEM_UNREADABLE", "UNKNOWN"];
export const REASON_TARGETS: readonly ReasonTarget[] = ["name", "id_number", "validity", "portrait", "emblem"];
export const VERIFICATION_STATUSES: readonly VerificationStatus[] = ["none", "draft", "pending", "approved", "rejected"];
export const TIERS: readonly Tier[] = ["unverified", "verified"];
export const PHOTO_SIDES: readonly PhotoSide[] = ["portrait", "emblem"];
export const CORNERS: readonly Corner[] = ["top_left", "top_right", "bottom_right", "bottom_left"];
export const CHECKED: readonly Checked[] = ["portrait_side", "emblem_side", "name", "id_number", "birth", "sex", "validity", "expiry", "term"];
export const GUIDANCE: readonly Guidance[] = ["no_card", "fit_card", "move_closer", "too_dark", "too_bright", "glare", "hold_still", "shadow", "steady"];
/** The field or side each rejection reason concerns. */
export const REASON_TARGET: Readonly<Record<Exclude<ReasonCode, "UNKNOWN">, ReasonTarget>> = { NAME_MISMATCH: "name", ID_NUMBER_MISMATCH: "id_number", VALIDITY_EXPIRED: "validity", PORTRAIT_BLURRY: "portrait", PORTRAIT_GLARE: "portrait", PORTRAIT_CORNER_MISSING: "portrait", PORTRAIT_NOT_ORIGINAL: "portrait", EMBLEM_BLURRY: "emblem", EMBLEM_GLARE: "emblem", EMBLEM_CORNER_MISSING: "emblem", EMBLEM_NOT_ORIGINAL: "emblem", VALIDITY_MISMATCH: "validity", PORTRAIT_WRONG_SIDE: "portrait", PORTRAIT_UNREADABLE: "portrait", EMBLEM_WRONG_SIDE: "emblem", EMBLEM_UNREADABLE: "emblem" };

/** Every command: its `invoke` arguments and its reply. */
export interface Commands {
  app_info: { args: Record<string, never>; reply: AppInfo };
  app_set_locale: { args: { locale: string }; reply: null };
  session_restore: { args: Record<string, never>; reply: SessionInfo | null };
  auth_login: { args: { login: string; password: string }; reply: SessionInfo };
  auth_register: { args: { login: string; password: string }; reply: SessionInfo };
  auth_logout: { args: Record<string, never>; reply: null };
  account_get: { args: Record<string, never>; reply: Account };
  verification_get: { args: Record<string, never>; reply: Application };
  verification_consent: { args: { version: string }; reply: Application };
  validate_fields: { args: { name: string; idNumber: string; validity: Validity | null }; reply: FieldErrors };
  verification_save_personal: { args: { name: string; idNumber: string; validity: Validity | null }; reply: Application };
  verification_submit: { args: Record<string, never>; reply: Application };
  photo_pick: { args: { side: PhotoSide }; reply: LocalPhoto | null };
  photo_drop: { args: { side: PhotoSide; path: string }; reply: LocalPhoto };
  photo_capture: { args: Uint8Array; reply: LocalPhoto };
  photos_local: { args: Record<string, never>; reply: LocalPhotos };
  camera_open: { args: { side: PhotoSide }; reply: null };
  camera_close: { args: Record<string, never>; reply: null };
  camera_frame: { args: Uint8Array; reply: FrameView };
  card_read: { args: { side: PhotoSide }; reply: CardView | null };
  card_checks: { args: { name: string; idNumber: string; validity: Validity | null }; reply: Array<Check> };
}

/** Every event and its payload. */
export interface Events {
  "verification-changed": Application;
  "upload-progress": UploadProgress;
}
