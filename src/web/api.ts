/**
 * The UI's one door to the HTTP API: the key entered once is kept in sessionStorage (gone when the
 * tab closes) and sent as a bearer token; error bodies become `ApiFailure`s with status and message.
 */

const KEY_STORAGE = "chokepoint.apiKey";

/**
 * The API key of this tab, if one was entered.
 *
 * @example
 * storedKey() // "ck_3f9a..." or undefined
 */
export function storedKey(): string | undefined {
  return sessionStorage.getItem(KEY_STORAGE) ?? undefined;
}

/**
 * Keeps (or, with undefined, forgets) the key for this tab.
 *
 * @example
 * storeKey("ck_3f9a...")
 */
export function storeKey(key: string | undefined): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

/**
 * A failed API call: HTTP status, the API's error code and its message.
 *
 * @example
 * if (error instanceof ApiFailure && error.status === 409) showConflict(error.message);
 */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiFailure";
  }
}

/**
 * Calls the API with the stored key; JSON in and out unless `body` is a string (sent as text/csv).
 *
 * @example
 * const queue = await api<QueuePage>("GET", "/cases?state=open");
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  const key = storedKey();
  if (key) headers.authorization = `Bearer ${key}`;
  let payload: string | undefined;
  if (typeof body === "string") {
    headers["content-type"] = "text/csv";
    payload = body;
  } else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, {
    method,
    headers,
    ...(payload === undefined ? {} : { body: payload }),
  });
  const text = await response.text();
  let data: unknown = text;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // A non-JSON answer (an export) is returned as text.
  }
  if (!response.ok) {
    const error = (data ?? {}) as { error?: string; message?: string };
    throw new ApiFailure(
      response.status,
      error.error ?? "error",
      error.message ?? `${response.status} ${text}`,
    );
  }
  return data as T;
}

/** A message for any failure, for the page's status line. */
export function failureText(error: unknown): string {
  if (error instanceof ApiFailure) return `${error.message} (HTTP ${error.status})`;
  return error instanceof Error ? error.message : String(error);
}
