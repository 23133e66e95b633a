/**
 * The HTTP PUT of XEP-0363 §5 with upload progress (XMLHttpRequest: fetch() reports no upload
 * progress) and cancel. Resolves with the status; rejects with "offline" on a network error (the
 * file waits for the next connection) and "aborted" when cancelled.
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
): Promise<PutResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("Content-Type", type);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => resolve({ status: xhr.status });
    xhr.onerror = () => reject(new Error("offline"));
    xhr.onabort = () => reject(new Error("aborted"));
    if (signal.aborted) {
      reject(new Error("aborted"));
      return;
    }
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(blob);
  });
}
