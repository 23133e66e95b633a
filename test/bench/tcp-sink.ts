/**
 * A plain TCP origin for gateway-mode request benchmarks: accepts connections on 127.0.0.1 and reads
 * and discards whatever arrives, sending nothing. The gateway relays bytes without reading them, so
 * this measures its per-request cost without an RTMP server's work (or its handshake rules) mixed in.
 * Its own process, so its CPU is not the load generator's.
 */
import { portAccepts } from "../support/nginx-rtmp";
import { freePort, startProcess, waitFor } from "../support/process";

export interface TcpSink {
  port: number;
  /** `rtmp://127.0.0.1:<port>`, for RTMPT_ORIGINS. */
  origin: string;
  stop: () => Promise<void>;
}

export async function startTcpSink(): Promise<TcpSink> {
  const port = await freePort();
  const code = `require("node:net").createServer((s) => { s.on("data", () => {}); s.on("error", () => {}); }).listen(${port}, "127.0.0.1");`;
  const proc = startProcess(process.execPath, ["-e", code]);
  await waitFor("tcp sink", () => portAccepts(port), 10_000, proc);
  return { port, origin: `rtmp://127.0.0.1:${port}`, stop: () => proc.stop() };
}
