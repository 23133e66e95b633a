/**
 * The HTTP PUT of XEP-0363 §5 with upload progress (XMLHttpRequest: fetch() reports no upload
 * progress) and cancel. Resolves with the status; rejects with "offline" on a network error or when
 * the body stalls (no progress for `stallMs` before it is all sent: a connection cut without an
 * error), so the file waits for the next try, and with "aborted" when cancelled.
 */

export interface PutResult {
  status: number;
}

export function putFile(
  url: string,
  blob: Blob,
  type: string,
  headers: Record<string, string>,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
  stallMs = 30_000,
): Promise<PutResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let stalled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watch = (done: boolean) => {
      clearTimeout(timer);
      if (!done)
        timer = setTimeout(() => {
          stalled = true;
          xhr.abort();
        }, stallMs);
    };
    xhr.open("PUT", url);
    xhr.setRequestHeader("Content-Type", type);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
      watch(e.lengthComputable && e.loaded >= e.total);
    };
    xhr.onload = () => {
      watch(true);
      resolve({ status: xhr.status });
    };
    xhr.onerror = () => {
      watch(true);
      reject(new Error("offline"));
    };
    xhr.onabort = () => {
      watch(true);
      reject(new Error(stalled ? "offline" : "aborted"));
    };
    if (signal.aborted) {
      reject(new Error("aborted"));
      return;
    }
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(blob);
    watch(false);
  });
}
