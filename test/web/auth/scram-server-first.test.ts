// What ScramSha1 (web/src/model/auth/scram-sha-1.ts) refuses in the server-first message (RFC 5802 §5.1):
// no salt, an iteration count that is not a positive integer, zero, or absurdly large (hashing it
// would freeze the page), a nonce equal to ours (the server must add its part, §5.1 "r=").
import { describe, expect, it } from "vitest";
import { ScramSha1 } from "../../../web/src/model/auth/scram-sha-1";

const cred = { username: "user", password: "pencil" };
async function afterServerFirst(serverFirst: string): Promise<string> {
  const mech = new ScramSha1("abc");
  await mech.response(cred);
  await mech.challenge(serverFirst);
  return mech.response(cred);
}

describe("SCRAM server-first checks", () => {
  it("refuses a missing salt and every iteration count that is not a sane positive integer", async () => {
    await expect(afterServerFirst("r=abcdef,i=4096")).rejects.toThrow(/salt or iteration/);
    for (const i of ["0", "-1", "1.5", "x", "", "10000001"])
      await expect(afterServerFirst(`r=abcdef,s=QSXCR+Q6sek8bf92,i=${i}`)).rejects.toThrow(/salt or iteration/);
    await expect(afterServerFirst("r=abcdef,s=QSXCR+Q6sek8bf92")).rejects.toThrow(/salt or iteration/);
  });

  it("refuses a nonce the server did not extend", async () => {
    await expect(afterServerFirst("r=abc,s=QSXCR+Q6sek8bf92,i=4096")).rejects.toThrow(/nonce/);
  });

  it("accepts the smallest valid count", async () => {
    await expect(afterServerFirst("r=abcdef,s=QSXCR+Q6sek8bf92,i=1")).resolves.toMatch(/^c=biws,r=abcdef,p=/);
  });
});
