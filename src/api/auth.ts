import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { API_ROLES, type ApiKeyRecord, type ApiRole, type KeysRepository } from "../store/keys-repository.js";
import { ApiError } from "./errors.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The verified API key of the request; undefined when none was sent (public routes). */
    apiKey?: ApiKeyRecord;
  }
}

/** How the key may be sent: `Authorization: Bearer KEY` or `Authorization: ApiKey KEY`. */
const AUTHORIZATION = /^(?:Bearer|ApiKey)\s+(\S+)\s*$/i;

/**
 * Reads the token from an Authorization header value; undefined when there is no header,
 * an ApiError when there is one of another form (so a typo is not mistaken for "no key").
 *
 * @example
 * tokenFromHeader("Bearer ck_3f9a0c1d2e4b_...") // "ck_3f9a0c1d2e4b_..."
 */
export function tokenFromHeader(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const match = AUTHORIZATION.exec(header);
  if (!match) {
    throw new ApiError(401, "unauthorized", "Authorization header must be 'Bearer KEY' or 'ApiKey KEY'");
  }
  return match[1];
}

/**
 * The root `onRequest` hook: verifies the key when one is sent and attaches it to the request.
 * A wrong, malformed or revoked key fails at once (401); no key at all is left to `requireRole`,
 * so public routes (health, OpenAPI, docs) stay public. It runs before the body is read, so an
 * unauthenticated client cannot make the server parse 2 MB of JSON.
 *
 * @example
 * app.addHook("onRequest", authenticate(keys));
 */
export function authenticate(keys: KeysRepository): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const token = tokenFromHeader(request.headers.authorization);
    if (token === undefined) return;
    const key = await keys.verify(token);
    if (!key) throw new ApiError(401, "unauthorized", "invalid or revoked API key");
    request.apiKey = key;
  };
}

/**
 * True when `role` may do what `needed` allows (roles are ordered viewer < analyst < admin).
 *
 * @example
 * roleAllows("admin", "analyst") // true
 * roleAllows("viewer", "analyst") // false
 */
export function roleAllows(role: ApiRole, needed: ApiRole): boolean {
  return API_ROLES.indexOf(role) >= API_ROLES.indexOf(needed);
}

/**
 * A route hook that lets through keys with at least `role` (401 without a key, 403 with a weaker
 * one). Use it as `onRequest` (checked before the body is parsed; preferred) or as `preHandler`.
 * It relies on the root `authenticate` hook that `buildServer` installs.
 *
 * @example
 * app.post("/screen/orders", { onRequest: requireRole("analyst") }, handler);
 * app.post("/jobs/screen", { preHandler: requireRole("analyst") }, handler);
 */
export function requireRole(role: ApiRole) {
  return async function checkRole(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const key = request.apiKey;
    if (!key) {
      throw new ApiError(
        401,
        "unauthorized",
        "missing API key: send 'Authorization: Bearer KEY' (create one with `chokepoint keys create`)",
      );
    }
    if (!roleAllows(key.role, role)) {
      throw new ApiError(403, "forbidden", `this endpoint needs the ${role} role; the key has ${key.role}`);
    }
  };
}
