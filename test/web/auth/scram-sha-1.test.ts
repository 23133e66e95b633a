// SCRAM-SHA-1 on WebCrypto against RFC 5802 §5's worked example (user "user", password "pencil").
import { describe, expect, it } from "vitest";
import { ScramSha1 } from "../../../web/src/model/auth/scram-sha-1";

const cred = { username: "user", password: "pencil" };

describe("ScramSha1 (RFC 5802)", () => {
  it("produces the RFC's client-first and client-final messages", async () => {
    const mech = new ScramSha1("fyko+d2lbbFgONRv9qkxdawL");
    expect(mech.name).toBe("SCRAM-SHA-1");
    expect(await mech.response(cred)).toBe("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
    await mech.challenge("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");
    expect(await mech.response(cred)).toBe("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
  });

  it("escapes = and , in the username and uses a fresh random nonce", async () => {
    const a = await new ScramSha1().response({ username: "a=b,c", password: "x" });
    const b = await new ScramSha1().response({ username: "a=b,c", password: "x" });
    expect(a).toMatch(/^n,,n=a=3Db=2Cc,r=[A-Za-z0-9+/]{24}$/);
    expect(a).not.toBe(b);
  });

  it("refuses a server nonce that does not extend the client's, and absurd iteration counts", async () => {
    const mech = new ScramSha1("abc");
    await mech.response(cred);
    await mech.challenge("r=zzz,s=QSXCR+Q6sek8bf92,i=4096");
    await expect(mech.response(cred)).rejects.toThrow(/nonce/);
    const mech2 = new ScramSha1("abc");
    await mech2.response(cred);
    await mech2.challenge("r=abcdef,s=QSXCR+Q6sek8bf92,i=999999999");
    await expect(mech2.response(cred)).rejects.toThrow(/iteration/);
  });
});
