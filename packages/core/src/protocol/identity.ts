/**
 * The `reason` a server gives when a buyer's signed identity has expired. With `code: "unauthorized"`
 * and `retryable: true` (a `nack` or an `error` mid-session) it means "renew the identity, then the
 * same command goes through": the client asks the host page for a fresh signature instead of giving
 * the command up. At `session.start` (retryable unset) it only explains why the session is anonymous.
 */
export const IDENTITY_EXPIRED = 'identity-expired';

/** Whether a wire error says the buyer's identity expired (at session start or mid-session). */
export function isIdentityExpired(error: { readonly code: string; readonly reason?: string | undefined }): boolean {
  return error.code === 'unauthorized' && error.reason === IDENTITY_EXPIRED;
}
