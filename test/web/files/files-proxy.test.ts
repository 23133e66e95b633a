// The file sharing proxy (web/src/model/files/files-proxy.ts): the "send photos in original size"
// setting is kept on the device and read back by the next page; progress and cancel per upload.
import { describe, expect, it } from "vitest";
import { memoryFileStore } from "../../../web/src/model/files/file-store";
import { FilesProxy, ORIGINAL_KEY } from "../../../web/src/model/files/files-proxy";
import { testApp } from "../support/app";

function mapStorage() {
  const map = new Map<string, string>();
  return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

describe("FilesProxy", () => {
  it("keeps the original-size choice on the device (off by default) and survives a refusing storage", () => {
    const storage = mapStorage();
    const first = new FilesProxy(memoryFileStore(), storage);
    expect(first.original.value).toBe(false);
    expect(first.setOriginal(true)).toBe(true);
    expect(storage.map.get(ORIGINAL_KEY)).toBe("1");
    expect(new FilesProxy(memoryFileStore(), storage).original.value).toBe(true);
    const refusing = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    const p = new FilesProxy(memoryFileStore(), refusing);
    expect(p.original.value).toBe(false);
    expect(p.setOriginal(true)).toBe(false);
    expect(p.original.value).toBe(true);
  });

  it("the model hands it the page's storage", () => {
    const app = testApp();
    app.facade.model.files.setOriginal(true);
    expect(app.storage.get(ORIGINAL_KEY)).toBe("1");
  });

  it("tracks an upload's progress until it ends, and cancels only a running one", () => {
    const p = new FilesProxy(memoryFileStore());
    const signal = p.started("m1");
    p.setProgress("m1", 0.5);
    expect(p.progress.value.get("m1")).toBe(0.5);
    expect(p.abort("m2")).toBe(false);
    expect(p.abort("m1")).toBe(true);
    expect(signal.aborted).toBe(true);
    p.ended("m1");
    expect(p.progress.value.has("m1")).toBe(false);
  });
});
