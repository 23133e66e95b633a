/**
 * Which login failures mean "these credentials will not work" (RFC 6120 §6.5 SASL conditions), as
 * opposed to a network or server failure worth retrying.
 */

const AUTH_FAILURES = new Set(["not-authorized", "account-disabled", "credentials-expired", "invalid-mechanism"]);

export function isAuthFailure(err: unknown): boolean {
  const e = err as { name?: string; condition?: string };
  return e?.name === "SASLError" && AUTH_FAILURES.has(e.condition ?? "");
}

/** The server accepted the login without proving it knows the password (SCRAM "v=", scram-sha-1.ts). */
export class ServerNotProven extends Error {
  override name = "ServerNotProven";
}

export const isServerNotProven = (err: unknown) => (err as { name?: string })?.name === "ServerNotProven";

/** A fresh resource for each session (RFC 6120 §7.6), so two tabs or devices never collide. */
export function randomResource(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `porthole-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
