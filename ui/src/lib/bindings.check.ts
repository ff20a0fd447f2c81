// Compile-time checks that the UI's own types (types.ts) accept what the Rust side sends
// (bindings.ts, generated from the Rust types) and that what the UI sends is what the Rust
// side takes. `npm run check` fails on any drift; nothing here runs.

import type * as Rust from './bindings';
import type * as Ui from './types';

/** `true` only when `A` can be used where `B` is expected. */
type Fits<A, B> = [A] extends [B] ? true : false;
type Assert<T extends true> = T;

// Replies and event payloads: the Rust value must fit the UI's type.
export type Replies = [
  Assert<Fits<Rust.AppInfo, Ui.AppInfo>>,
  Assert<Fits<Rust.SessionInfo, Ui.SessionInfo>>,
  Assert<Fits<Rust.Account, Ui.Account>>,
  Assert<Fits<Rust.Application, Ui.Application>>,
  Assert<Fits<Rust.FieldErrors, Ui.FieldErrors>>,
  Assert<Fits<Rust.LocalPhoto, Ui.LocalPhoto>>,
  Assert<Fits<Rust.LocalPhotos, Ui.LocalPhotos>>,
  Assert<Fits<Rust.UploadProgress, Ui.UploadProgress>>,
  Assert<Fits<Rust.ApiError, Ui.WireError>>,
  Assert<Fits<Rust.Events['verification-changed'], Ui.Application>>,
  Assert<Fits<Rust.Events['upload-progress'], Ui.UploadProgress>>,
];

// Arguments: what the UI sends must fit what the Rust command takes.
export type Arguments = [
  Assert<Fits<Ui.Validity, Rust.Validity>>,
  Assert<Fits<Ui.PhotoSide, Rust.PhotoSide>>,
  Assert<Fits<{ name: string; idNumber: string; validity: Ui.Validity | null }, Rust.Commands['validate_fields']['args']>>,
  Assert<Fits<{ name: string; idNumber: string; validity: Ui.Validity | null }, Rust.Commands['verification_save_personal']['args']>>,
];
