/**
 * mpegts.js's WebSocket loader (src/io/websocket-loader.js of mpegts.js 1.8.2: binary frames of FLV
 * bytes, the close as the end of the data) with one addition: it says how the socket closed (code and
 * reason, RFC 6455 §7.1.5-6) before reporting the end, which mpegts.js's own loader drops, so the watch
 * page can tell "the broadcast ended" from "the stream's source was lost" (stream-end.ts). Plugged in
 * through mpegts.js's `customLoader` option. Loaded with the player only.
 */
import mpegts from "mpegts.js";

/** mpegts.js's d.ts types onError's first argument as the whole LoaderErrors table; it is one of its values. */
const EXCEPTION = mpegts.LoaderErrors.EXCEPTION as unknown as mpegts.LoaderErrors;

export function flvSocketLoader(onClose: (code: number, reason: string) => void): mpegts.CustomLoaderConstructor {
  return class FlvSocketLoader extends mpegts.BaseLoader {
    #ws: WebSocket | null = null;
    #aborted = false;
    #received = 0;
    #opened = false;

    constructor() {
      super("flv-socket-loader");
      this._needStash = true;
    }

    override destroy(): void {
      if (this.#ws) this.abort();
      super.destroy();
    }

    override open(source: mpegts.MediaSegment): void {
      try {
        const ws = new WebSocket(source.url);
        this.#ws = ws;
        ws.binaryType = "arraybuffer";
        ws.onopen = () => {
          this.#opened = true;
          this._status = mpegts.LoaderStatus.kBuffering;
        };
        ws.onmessage = (e: MessageEvent) => {
          if (!(e.data instanceof ArrayBuffer)) return;
          const start = this.#received;
          this.#received += e.data.byteLength;
          this.onDataArrival?.(e.data, start, this.#received);
        };
        ws.onclose = (e: CloseEvent) => {
          if (this.#aborted) return;
          this._status = mpegts.LoaderStatus.kComplete;
          onClose(e.code, e.reason);
          this.onComplete?.(0, this.#received - 1);
        };
        ws.onerror = () => {
          // An open socket that breaks then closes (code 1006): reported there, as a lost source. One that
          // never opened (the worker refused the upgrade: no origin, too many viewers) cannot play.
          if (this.#opened) return;
          this._status = mpegts.LoaderStatus.kError;
          this.#aborted = true;
          this.onError?.(EXCEPTION, { code: -1, msg: "The stream's WebSocket failed" });
        };
        this._status = mpegts.LoaderStatus.kConnecting;
      } catch (err) {
        this._status = mpegts.LoaderStatus.kError;
        this.onError?.(EXCEPTION, { code: -1, msg: err instanceof Error ? err.message : String(err) });
      }
    }

    override abort(): void {
      const ws = this.#ws;
      if (ws && (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN)) {
        this.#aborted = true;
        ws.close();
      }
      this.#ws = null;
      this._status = mpegts.LoaderStatus.kComplete;
    }
  };
}
