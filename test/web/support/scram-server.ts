/**
 * A tiny XMPP server over WebSocket (RFC 6455 framing, RFC 7395 XMPP framing) on 127.0.0.1, for the
 * real xmpp.js client composed in xmpp-client.ts: SCRAM-SHA-1 (RFC 5802) login for one account, then
 * resource binding (RFC 6120 §7), an empty result to any other iq. It checks the client's proof like a real server; what it sends back
 * as its own proof ("v=") is up to the test: the true ServerSignature (a server that knows the
 * password), a wrong one, or none at all (an impostor that lets anyone in).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type ServerProof = "true" | "wrong" | "none";

export interface ScramServer {
  url: string;
  /** Whether a client got as far as binding a resource (a session). */
  sessions: number;
  /** WebSocket connections still open. */
  connections(): number;
  /** Cuts every connection (the client then reconnects by itself). */
  drop(): void;
  /** The proof this server sends in <success/>. */
  proof: ServerProof;
  stop(): Promise<void>;
}

const NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** One unmasked text frame (server → client, RFC 6455 §5.2). */
function frame(text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x81, n]) : Buffer.from([0x81, 126, n >> 8, n & 0xff]);
  return Buffer.concat([head, payload]);
}

/** Splits masked client frames off `buf`; returns [opcode, text] pairs and what is left over. */
function unframe(buf: Buffer): { frames: Array<[number, string]>; rest: Buffer } {
  const frames: Array<[number, string]> = [];
  let at = 0;
  for (;;) {
    if (buf.length - at < 2) break;
    const op = (buf[at] as number) & 0x0f;
    let len = (buf[at + 1] as number) & 0x7f;
    let off = at + 2;
    if (len === 126) {
      if (buf.length - at < 4) break;
      len = buf.readUInt16BE(at + 2);
      off = at + 4;
    } else if (len === 127) {
      throw new Error("frame too large for this test server");
    }
    if (buf.length < off + 4 + len) break;
    const mask = buf.subarray(off, off + 4);
    const data = Buffer.from(buf.subarray(off + 4, off + 4 + len).map((b, i) => b ^ (mask[i % 4] as number)));
    frames.push([op, data.toString("utf8")]);
    at = off + 4 + len;
  }
  return { frames, rest: buf.subarray(at) };
}

const hmac = (key: Buffer, data: string) => createHmac("sha1", key).update(data).digest();
const textOf = (xmlText: string) => />([^<]*)</.exec(xmlText)?.[1] ?? "";

export async function startScramServer(opts: {
  domain: string;
  username: string;
  password: string;
  proof: ServerProof;
}): Promise<ScramServer> {
  const salt = randomBytes(16);
  const iterations = 4096;
  const salted = pbkdf2Sync(opts.password, salt, iterations, 20, "sha1");
  const storedKey = createHash("sha1").update(hmac(salted, "Client Key")).digest();
  const serverKey = hmac(salted, "Server Key");
  const sockets = new Set<Socket>();
  const state: ScramServer = {
    url: "",
    sessions: 0,
    proof: opts.proof,
    connections: () => sockets.size,
    drop: () => {
      for (const s of sockets) s.destroy();
    },
    stop: async () => {},
  };

  const server: Server = createServer((_req, res) => res.writeHead(426).end());
  server.on("upgrade", (req, socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const accept = createHash("sha1").update(`${req.headers["sec-websocket-key"]}${GUID}`).digest("base64");
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: xmpp\r\n\r\n`,
    );
    const send = (text: string) => {
      if (socket.writable) socket.write(frame(text));
    };
    let pending: Buffer = Buffer.alloc(0);
    let authed = false;
    let clientFirstBare = "";
    let serverFirst = "";
    const open = () =>
      send(
        `<open xmlns="${NS_FRAMING}" from="${opts.domain}" id="${randomBytes(4).toString("hex")}" version="1.0" xml:lang="en"/>`,
      );
    const handle = (text: string) => {
      if (text.startsWith("<open")) {
        open();
        send(
          authed
            ? `<stream:features xmlns:stream="http://etherx.jabber.org/streams"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/></stream:features>`
            : `<stream:features xmlns:stream="http://etherx.jabber.org/streams"><mechanisms xmlns="${NS_SASL}"><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>`,
        );
      } else if (text.startsWith("<auth")) {
        const clientFirst = Buffer.from(textOf(text), "base64").toString("utf8");
        clientFirstBare = clientFirst.replace(/^n,,/, "");
        const nonce = /r=([^,]+)/.exec(clientFirstBare)?.[1] ?? "";
        serverFirst = `r=${nonce}${randomBytes(12).toString("base64")},s=${salt.toString("base64")},i=${iterations}`;
        send(`<challenge xmlns="${NS_SASL}">${Buffer.from(serverFirst).toString("base64")}</challenge>`);
      } else if (text.startsWith("<response")) {
        const clientFinal = Buffer.from(textOf(text), "base64").toString("utf8");
        const withoutProof = clientFinal.replace(/,p=[^,]*$/, "");
        const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
        const proof = Buffer.from(/,p=([^,]*)$/.exec(clientFinal)?.[1] ?? "", "base64");
        const clientKey = Buffer.from(hmac(storedKey, authMessage).map((b, i) => b ^ (proof[i] ?? 0)));
        const ok =
          createHash("sha1").update(clientKey).digest().equals(storedKey) && clientFirstBare.startsWith(`n=${opts.username},`);
        if (!ok && state.proof === "true") {
          send(`<failure xmlns="${NS_SASL}"><not-authorized/></failure>`);
          return;
        }
        // An impostor does not know the password: it lets any proof in.
        const signature =
          state.proof === "true" ? hmac(serverKey, authMessage) : state.proof === "wrong" ? randomBytes(20) : null;
        authed = true;
        send(
          signature
            ? `<success xmlns="${NS_SASL}">${Buffer.from(`v=${signature.toString("base64")}`).toString("base64")}</success>`
            : `<success xmlns="${NS_SASL}"/>`,
        );
      } else if (text.startsWith("<iq") && text.includes("urn:ietf:params:xml:ns:xmpp-bind")) {
        const id = /id="([^"]+)"/.exec(text)?.[1] ?? "";
        const resource = /<resource>([^<]*)<\/resource>/.exec(text)?.[1] ?? "r";
        state.sessions++;
        send(
          `<iq xmlns="jabber:client" type="result" id="${id}"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"><jid>${opts.username}@${opts.domain}/${resource}</jid></bind></iq>`,
        );
      } else if (text.startsWith("<iq")) {
        // Anything else the session asks (roster, carbons, archive): an empty result.
        send(`<iq xmlns="jabber:client" type="result" id="${/id="([^"]+)"/.exec(text)?.[1] ?? ""}"/>`);
      } else if (text.startsWith("<close")) {
        send(`<close xmlns="${NS_FRAMING}"/>`);
      }
    };
    socket.on("data", (chunk: Buffer) => {
      const { frames, rest } = unframe(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const [op, text] of frames) {
        if (op === 0x8) {
          if (socket.writable) socket.end(Buffer.from([0x88, 0]));
        } else if (op === 0x1) handle(text);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  state.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/xmpp-websocket`;
  state.stop = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return state;
}
