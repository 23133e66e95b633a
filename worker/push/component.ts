/**
 * The push service's link to the user's XMPP server: an external component (XEP-0114, Jabber
 * Component Protocol) over one outbound TCP connection (shared/connect-first.ts; `tls://` addresses use
 * TLS from the first byte). The connect and then the handshake are each bounded by `timeoutMs`. Handshake (§3): open a `jabber:component:accept` stream to
 * the component's domain, answer the server's stream id with `<handshake>` = lower-case hex
 * SHA-1(stream id + shared secret), and wait for the empty `<handshake/>`. After that every
 * top-level element is a stanza addressed to the component.
 */
import { bounded, TIMED_OUT } from "../shared/bounded";
import { type ByteSocket, connectFirst } from "../shared/connect-first";
import { toHex } from "../shared/hex";
import { escapeXml, textOf, type XmlElement, XmlStreamParser } from "./xml-stream";

export interface ComponentOptions {
  jid: string;
  host: string;
  port: number;
  tls: boolean;
  secret: string;
  timeoutMs: number;
}

export interface ComponentHandlers {
  stanza: (el: XmlElement) => void;
  /** The link ended (after it was open); `reason` for the log. */
  closed: (reason: string) => void;
}

export async function handshakeDigest(streamId: string, secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(streamId + secret));
  return toHex(new Uint8Array(digest));
}

export function streamOpen(jid: string): string {
  return `<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='${escapeXml(jid)}'>`;
}

/** The condition of a `<stream:error>` (RFC 6120 §4.9), for the log. */
function streamErrorText(el: XmlElement): string {
  const cond = el.children.find((c): c is XmlElement => typeof c !== "string" && c.name !== "text");
  const detail = el.children.find((c): c is XmlElement => typeof c !== "string" && c.name === "text");
  return `stream error ${cond?.name ?? "unknown"}${detail ? `: ${textOf(detail).slice(0, 120)}` : ""}`;
}

export class ComponentLink {
  private writer: WritableStreamDefaultWriter<Uint8Array>;
  private ended = false;
  private authenticated = false;
  private readonly encoder = new TextEncoder();

  private constructor(
    private readonly socket: ByteSocket,
    private readonly handlers: ComponentHandlers,
  ) {
    this.writer = socket.writable.getWriter();
  }

  /** Connects and authenticates; rejects with a reason (refused, timeout, wrong secret). */
  static async open(o: ComponentOptions, handlers: ComponentHandlers): Promise<ComponentLink> {
    const { socket, failures } = await connectFirst([o], o.timeoutMs);
    if (!socket) throw new Error(failures.join("; "));
    const link = new ComponentLink(socket, handlers);
    try {
      if ((await bounded(o.timeoutMs, () => link.authenticate(o))) === TIMED_OUT) {
        throw new Error(`no handshake within ${o.timeoutMs} ms`);
      }
      return link;
    } catch (err) {
      link.ended = true;
      socket.close().catch(() => {});
      throw err;
    }
  }

  private authenticate(o: ComponentOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      const parser = new XmlStreamParser({
        open: (attrs) => {
          const id = attrs.id;
          if (!id) return reject(new Error("the server's stream header has no id"));
          void handshakeDigest(id, o.secret).then((hex) => this.write(`<handshake>${hex}</handshake>`));
        },
        stanza: (el) => {
          if (el.name === "stream:error") {
            const reason = streamErrorText(el);
            if (!ready) reject(new Error(reason));
            else this.end(reason);
          } else if (!ready && el.name === "handshake") {
            ready = true;
            this.authenticated = true;
            resolve();
          } else if (ready) this.handlers.stanza(el);
        },
        close: () => {
          if (!ready) reject(new Error("the server closed the stream"));
          this.end("stream closed by the server");
        },
      });
      void this.pump(parser, (reason) => {
        if (!ready) reject(new Error(reason));
      });
      void this.write(streamOpen(o.jid)).catch((err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
    });
  }

  private async pump(parser: XmlStreamParser, early: (reason: string) => void): Promise<void> {
    const reader = this.socket.readable.getReader();
    let reason = "connection closed by the server";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch (err) {
      reason = `connection failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200);
    } finally {
      reader.releaseLock();
    }
    early(reason);
    this.end(reason);
  }

  get open(): boolean {
    return !this.ended;
  }

  async write(xml: string): Promise<void> {
    if (this.ended) throw new Error("component link is closed");
    await this.writer.write(this.encoder.encode(xml));
  }

  /** Ends the link (idempotent); `closed` is reported once. */
  end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.writer.write(this.encoder.encode("</stream:stream>")).catch(() => {});
    this.socket.close().catch(() => {});
    if (this.authenticated) this.handlers.closed(reason);
  }
}
