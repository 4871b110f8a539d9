// The server's default limits, apart from the server so that the CLI can show them in its help
// without loading Fastify (which costs every other command ~0.4 s of start-up).

/** 2 MB: 1,000 parties or item lines fit several times over; a 10 MB body is refused with a 413. */
export const DEFAULT_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * Requests per key per minute. One busy ERP integration screening order by order stays far below
 * it; a runaway client loop is stopped. Configure with `chokepoint serve --rate-limit N`.
 */
export const DEFAULT_RATE_LIMIT = 60_000;
