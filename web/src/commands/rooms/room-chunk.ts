/**
 * The room use cases' chunk (room-commands.ts), loaded on first use so group chat costs the first
 * load nothing. Once loaded it is used synchronously: a room's archive results must be in their room
 * before that room's catch-up ends (receive-room-presence.ts), so they never wait on a module load.
 */
type RoomChunk = typeof import("./room-commands");

let loaded: RoomChunk | null = null;

export async function roomChunk(): Promise<RoomChunk> {
  loaded ??= await import("./room-commands");
  return loaded;
}

/** The chunk if it is loaded already (no await), else null. */
export function roomChunkNow(): RoomChunk | null {
  return loaded;
}
