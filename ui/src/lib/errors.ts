// Normalising whatever an IPC call rejected with into the one `{code, message}` shape.

/** An IPC failure with its stable error code. */
export class IpcError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
  }
}

const CODE_RE = /^[A-Z][A-Z0-9_]*$/;

/**
 * Turn any rejection value into an IpcError. The shell always rejects with
 * `{code, message}`; anything else (a bare string from the IPC layer, a thrown Error)
 * becomes `UNKNOWN` so the UI shows the generic text instead of raw internals.
 */
export function toIpcError(err: unknown): IpcError {
  if (err instanceof IpcError) return err;
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    const message = 'message' in err ? (err as { message: unknown }).message : '';
    if (typeof code === 'string' && CODE_RE.test(code)) {
      return new IpcError(code, typeof message === 'string' ? message : '');
    }
  }
  if (err instanceof Error) return new IpcError('UNKNOWN', err.message);
  return new IpcError('UNKNOWN', typeof err === 'string' ? err : '');
}

/** Error codes that belong under one field of the personal-information form. */
export function formFieldOf(code: string): 'name' | 'id_number' | 'validity' | null {
  if (code.startsWith('NAME_')) return 'name';
  if (code.startsWith('ID_')) return 'id_number';
  if (code.startsWith('VALIDITY_')) return 'validity';
  return null;
}

/** Error codes that belong under one field of the sign-in form. */
export function signInFieldOf(code: string): 'login' | 'password' | null {
  if (code === 'LOGIN_INVALID' || code === 'ACCOUNT_EXISTS') return 'login';
  if (code === 'PASSWORD_TOO_SHORT') return 'password';
  return null;
}

/** Codes that mean the session is gone and the user must sign in again. */
export function isSessionLost(code: string): boolean {
  return code === 'AUTH_REQUIRED' || code === 'AUTH_SESSION_EXPIRED';
}
