/** Version of the Redis key format (migrations/V1__cart_key_format.md). */
export const keyFormatVersion = 'v1';

/** The hash holding one user's cart. */
export function cartKey(userId: string): string {
  return `cart:${keyFormatVersion}:users:${userId}`;
}

/** The marker of an applied event, kept for a while so a redelivery does nothing. */
export function eventKey(eventId: string): string {
  return `cart:${keyFormatVersion}:events:${eventId}`;
}
