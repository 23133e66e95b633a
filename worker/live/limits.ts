/**
 * The bounds of one live stream's Durable Object (live-stream.ts): how many viewers, how much memory,
 * how long the origin connection outlives its last viewer. Slow-viewer thresholds are in viewer.ts.
 */

/** The origin connection closes this long after the last viewer left (unless one comes back). */
export const GRACE_MS = 5_000;
/** The cached group of pictures is dropped past this many bytes (new viewers then wait for a keyframe). */
export const GOP_CAP = 4 * 1024 * 1024;
/** Largest RTMP message accepted from the origin (a keyframe of a very high bitrate stream fits). */
export const MAX_MESSAGE = 8 * 1024 * 1024;
/** Viewers of one stream in all (more: 503). */
export const MAX_VIEWERS = 250;
/** Default viewer connections of one stream from one client address (LIVE_VIEWERS_PER_CLIENT). */
export const DEFAULT_VIEWERS_PER_CLIENT = 8;
