import type { ReactNode } from "react";
import { type CaseState, STATE_LABELS } from "./types.js";

/**
 * A polite live region: async results and progress are announced without moving focus.
 *
 * @example
 * <Status message={busy ? "Screening…" : result} tone="info" />
 */
export function Status({ message, tone = "info" }: { message: ReactNode; tone?: "info" | "error" | "ok" }) {
  return (
    <div
      className={`status ${message ? `status-${tone}` : ""}`}
      role={tone === "error" ? "alert" : "status"}
      aria-live={tone === "error" ? "assertive" : "polite"}
    >
      {message}
    </div>
  );
}

/** A case state as a coloured badge with its text (colour is never the only cue). */
export function StateBadge({ state }: { state: CaseState }) {
  return <span className={`badge state-${state}`}>{STATE_LABELS[state] ?? state}</span>;
}

/** A score as a percentage with a bar. */
export function Score({ value }: { value: number }) {
  const pct = Math.round(value * 100);
  return (
    <span className="score">
      <span className="score-bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      {value.toFixed(2)}
    </span>
  );
}

/** A timestamp in the analyst's locale, with the ISO value as a tooltip and machine-readable. */
export function When({ at }: { at: string | undefined }) {
  if (!at) return <span className="muted">—</span>;
  const date = new Date(at);
  return (
    <time dateTime={at} title={at}>
      {Number.isNaN(date.getTime()) ? at : date.toLocaleString()}
    </time>
  );
}
