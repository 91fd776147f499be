/**
 * Redis connections for queue mode (ioredis, as BullMQ needs). Each keeps the last connection
 * error, so that a failure can be reported in words ("connect ECONNREFUSED 10.0.0.5:6379") rather
 * than as ioredis' unhandled-error noise.
 */
import { Redis } from 'ioredis';

export interface Connection {
  redis: Redis;
  /** The last connection error's message, if any since the last successful connect. */
  lastError(): string | undefined;
}

/** A connection that retries every ≤ 1 s while the server is unreachable (the caller decides when to give up). */
export function connect(url: string, onError?: (message: string) => void): Connection {
  let last: string | undefined;
  const redis = new Redis(url, {
    // BullMQ's blocking commands need this; a lost server is detected by the callers' own watchdogs.
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(100 * times, 1000),
    connectTimeout: 5000,
  });
  redis.on('error', (e: Error & { code?: string }) => {
    last = e.message || e.code || String(e);
    onError?.(last);
  });
  redis.on('ready', () => (last = undefined));
  return { redis, lastError: () => last };
}

/** Close a connection: politely (QUIT) when it answers within `ms`, otherwise at once. */
export async function closeConnection(c: Connection, ms = 1000): Promise<void> {
  try {
    await withTimeout(c.redis.quit(), ms);
  } catch {
    // not answering: drop it
  }
  c.redis.disconnect(false);
}

/** `p`, or a rejection after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what = 'timed out'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, rej) => (timer = setTimeout(() => rej(new Error(what)), ms)))]).finally(() => clearTimeout(timer));
}
