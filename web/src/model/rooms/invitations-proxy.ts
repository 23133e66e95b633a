/**
 * Invitations to rooms waiting for an answer (XEP-0249 direct, XEP-0045 §7.8.2 mediated): one per
 * room, the newest kept. They live for the session only: an invitation is a prompt, not history.
 */
import { signal } from "@preact/signals";
import type { Invitation } from "../stanzas/invitations";

export class InvitationsProxy {
  readonly pending = signal<readonly Invitation[]>([]);

  add(invitation: Invitation): void {
    this.pending.value = [...this.pending.value.filter((i) => i.room !== invitation.room), invitation];
  }

  get(room: string): Invitation | undefined {
    return this.pending.value.find((i) => i.room === room);
  }

  remove(room: string): void {
    if (this.get(room)) this.pending.value = this.pending.value.filter((i) => i.room !== room);
  }

  clear(): void {
    this.pending.value = [];
  }
}
