/** A new message id, also its XEP-0359 origin-id: a UUID where the browser has one. */
export const newMessageId = (now: number): string =>
  crypto.randomUUID?.() ?? `m${now.toString(36)}${Math.random().toString(36).slice(2)}`;
