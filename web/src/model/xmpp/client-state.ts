/**
 * Client state indication (XEP-0352) bookkeeping: whether someone is looking at the page, and what
 * the current stream was last told (nothing yet after each session start, so the state is sent again).
 */
export class ClientState {
  active = true;
  #told: boolean | null = null;

  /** True when `active` differs from what the stream was told (and marks it told). */
  needsTelling(): boolean {
    if (this.#told === this.active) return false;
    this.#told = this.active;
    return true;
  }

  /** A new stream knows nothing: it starts active (§4), so only inactive needs telling. */
  newStream(): void {
    this.#told = true;
  }
}
