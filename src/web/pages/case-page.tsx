import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { ApiFailure, api, failureText } from "../api.js";
import type { CaseDetail, Entity, Explanation, Match } from "../types.js";
import { Score, StateBadge, Status, When } from "../ui.js";

const DECISIONS = [
  { value: "clear", label: "Clear (false positive)", className: "ok" },
  { value: "confirm", label: "Confirm (true match)", className: "danger" },
  { value: "escalate", label: "Escalate", className: "warn" },
] as const;

const KIND_WORDS: Record<string, string> = {
  exact: "same word",
  phonetic: "sounds alike",
  fuzzy: "similar spelling",
  initial: "initial",
  transliteration: "same word in another script",
};

/** A definition list row that is left out when it has nothing to say. */
function Fact({ term, value }: { term: string; value: React.ReactNode }) {
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0))
    return null;
  return (
    <>
      <dt>{term}</dt>
      <dd>{Array.isArray(value) ? value.join("; ") : value}</dd>
    </>
  );
}

function QueryPanel({ query, subjectId }: { query: Record<string, unknown>; subjectId: string }) {
  const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : undefined);
  const identifiers = Array.isArray(query.identifiers)
    ? (query.identifiers as Array<{ type?: string; value: string }>).map((i) =>
        i.type ? `${i.type} ${i.value}` : i.value,
      )
    : [];
  return (
    <section className="card" aria-labelledby="query-heading">
      <h2 id="query-heading">Screened (your record)</h2>
      <dl className="facts">
        <Fact term="Name" value={<strong>{text(query.name)}</strong>} />
        <Fact term="Subject" value={subjectId} />
        <Fact term="Type" value={text(query.schema)} />
        <Fact term="Country" value={text(query.country)} />
        <Fact term="Date of birth" value={text(query.dob)} />
        <Fact term="Identifiers" value={identifiers} />
        <Fact term="Address" value={text(query.address)} />
      </dl>
    </section>
  );
}

function EntityPanel({ entity, listVersion }: { entity: Entity | null; listVersion?: number }) {
  if (!entity)
    return (
      <section className="card" aria-labelledby="entity-heading">
        <h2 id="entity-heading">Listed record</h2>
        <p className="muted">This record is no longer on the current version of its list.</p>
      </section>
    );
  return (
    <section className="card" aria-labelledby="entity-heading">
      <h2 id="entity-heading">Listed record</h2>
      <dl className="facts">
        <Fact term="Name" value={<strong>{entity.name}</strong>} />
        <Fact
          term="List"
          value={`${entity.listId}${listVersion ? ` (hit on version ${listVersion})` : ""}`}
        />
        <Fact term="Record id" value={entity.id} />
        <Fact term="Type" value={entity.schema} />
        <Fact
          term="Other names"
          value={entity.names.filter((n) => n.kind !== "primary").map((n) => `${n.full} (${n.kind})`)}
        />
        <Fact term="Date of birth" value={entity.birthDates.map((d) => d.text)} />
        <Fact term="Place of birth" value={entity.birthPlaces} />
        <Fact term="Nationality" value={entity.nationalities.map((n) => n.text)} />
        <Fact term="Countries" value={entity.countries.map((n) => n.text)} />
        <Fact
          term="Identifiers"
          value={entity.identifiers.map((i) => (i.type ? `${i.type} ${i.value}` : i.value))}
        />
        <Fact term="Addresses" value={entity.addresses.map((a) => a.full ?? "").filter(Boolean)} />
        <Fact
          term="Programmes"
          value={entity.sanctions.map((s) => s.program ?? s.authority ?? "").filter(Boolean)}
        />
        <Fact term="Listed on" value={entity.listedOn} />
        <Fact term="Remarks" value={entity.remarks} />
      </dl>
    </section>
  );
}

function ExplanationPanel({ explanation, score }: { explanation: Explanation; score: number }) {
  return (
    <section className="card" aria-labelledby="why-heading">
      <h2 id="why-heading">Why it matched</h2>
      <p className="summary">{explanation.summary}</p>
      <p>
        The screened spelling <q>{explanation.queryForm}</q> was compared with the listed{" "}
        {explanation.listNameKind} name <q>{explanation.listName}</q>
        {explanation.listNameReading ? (
          <>
            {" "}
            (read as <q>{explanation.listNameReading}</q>)
          </>
        ) : null}
        : names agree at {Math.round(explanation.nameScore * 100)}%, overall score <Score value={score} />.
      </p>
      {explanation.linkedThrough ? (
        <p>
          Found through <strong>{explanation.linkedThrough.entityId}</strong> (
          <q>{explanation.linkedThrough.name}</q>) of another list: the screened name matched that record at{" "}
          {Math.round(explanation.linkedThrough.score * 100)}%, and its other name{" "}
          <q>{explanation.linkedThrough.alias}</q> is what met this listed name.
        </p>
      ) : null}
      <table className="table compact">
        <caption>Word by word</caption>
        <thead>
          <tr>
            <th scope="col">Screened word</th>
            <th scope="col">Listed word</th>
            <th scope="col">Similarity</th>
            <th scope="col">How</th>
          </tr>
        </thead>
        <tbody>
          {explanation.tokens.map((t, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the same token pair can occur twice; order is fixed
            <tr key={`${t.query}-${t.list}-${i}`}>
              <td>{t.query}</td>
              <td>{t.list}</td>
              <td>{t.similarity.toFixed(2)}</td>
              <td>{KIND_WORDS[t.kind] ?? t.kind}</td>
            </tr>
          ))}
          {explanation.unmatchedQuery.map((t) => (
            <tr key={`uq-${t}`}>
              <td>{t}</td>
              <td className="muted">no counterpart</td>
              <td>0.00</td>
              <td>only in the screened name</td>
            </tr>
          ))}
          {explanation.unmatchedList.map((t) => (
            <tr key={`ul-${t}`}>
              <td className="muted">no counterpart</td>
              <td>{t}</td>
              <td>0.00</td>
              <td>only in the listed name</td>
            </tr>
          ))}
        </tbody>
      </table>
      {explanation.evidence.length > 0 && (
        <>
          <h3>Other evidence</h3>
          <ul className="evidence">
            {explanation.evidence.map((e) => (
              <li key={`${e.kind}-${e.detail}`}>
                <span
                  className={`badge ${e.effect > 0 ? "state-open" : e.effect < 0 ? "state-cleared" : "neutral"}`}
                >
                  {e.effect > 0 ? "+" : ""}
                  {e.effect.toFixed(2)}
                </span>{" "}
                {e.detail}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function DecisionForm({ detail, onDone }: { detail: CaseDetail; onDone: (message: string) => void }) {
  const reasonId = useId();
  const hintId = useId();
  const [reason, setReason] = useState("");
  const [status, setStatus] = useState<{ text: string; tone: "info" | "error" | "ok" }>({
    text: "",
    tone: "info",
  });
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const hasReason = reason.trim().length > 0;

  const decide = async (decision: string) => {
    if (!hasReason) {
      setStatus({ text: "A decision needs a reason: write why before deciding.", tone: "error" });
      return;
    }
    setBusy(true);
    setStatus({ text: "Saving decision…", tone: "info" });
    try {
      await api("POST", `/cases/${detail.case.id}/decision`, {
        decision,
        reason: reason.trim(),
        expectedVersion: detail.case.version,
      });
      setReason("");
      onDone(`Decision saved: ${decision}.`);
      setStatus({ text: "", tone: "info" });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 409) {
        setConflict(true);
        setStatus({
          text: `Conflict: someone else changed this case since you opened it. Nothing was saved. Reload to see their change, then decide again. (${error.message})`,
          tone: "error",
        });
      } else setStatus({ text: failureText(error), tone: "error" });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card stack"
      onSubmit={(e: FormEvent) => e.preventDefault()}
      aria-labelledby="decide-heading"
    >
      <h2 id="decide-heading">Decision</h2>
      <label htmlFor={reasonId}>Reason (required)</label>
      <textarea
        id={reasonId}
        rows={3}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        aria-describedby={hintId}
        aria-required="true"
      />
      <p id={hintId} className="small muted">
        {hasReason
          ? "Your reason is recorded with the decision in the case history and the audit trail."
          : "Write a reason to enable the decision buttons."}
      </p>
      <div className="row">
        {DECISIONS.map((d) => (
          <button
            key={d.value}
            type="button"
            className={d.className}
            disabled={!hasReason || busy}
            aria-describedby={hintId}
            onClick={() => void decide(d.value)}
          >
            {d.label}
          </button>
        ))}
        {conflict && (
          <button type="button" onClick={() => onDone("Reloaded the latest version of the case.")}>
            Reload case
          </button>
        )}
      </div>
      <Status message={status.text} tone={status.tone} />
    </form>
  );
}

function AssignForm({ detail, onDone }: { detail: CaseDetail; onDone: (message: string) => void }) {
  const assigneeId = useId();
  const commentId = useId();
  const [assignee, setAssignee] = useState(detail.case.assignee ?? "");
  const [comment, setComment] = useState("");
  const [error, setError] = useState("");
  return (
    <div className="card stack">
      <h2>Assignment and notes</h2>
      <form
        className="row end"
        onSubmit={(e) => {
          e.preventDefault();
          api("POST", `/cases/${detail.case.id}/assign`, { assignee, expectedVersion: detail.case.version })
            .then(() => onDone(`Assigned to ${assignee}.`))
            .catch((err) => setError(failureText(err)));
        }}
      >
        <div className="stack grow">
          <label htmlFor={assigneeId}>Assignee</label>
          <input id={assigneeId} value={assignee} onChange={(e) => setAssignee(e.target.value)} required />
        </div>
        <button type="submit">Assign</button>
      </form>
      <form
        className="row end"
        onSubmit={(e) => {
          e.preventDefault();
          api("POST", `/cases/${detail.case.id}/comment`, { text: comment })
            .then(() => {
              setComment("");
              onDone("Comment added.");
            })
            .catch((err) => setError(failureText(err)));
        }}
      >
        <div className="stack grow">
          <label htmlFor={commentId}>Comment</label>
          <input id={commentId} value={comment} onChange={(e) => setComment(e.target.value)} required />
        </div>
        <button type="submit">Add comment</button>
      </form>
      <Status message={error} tone="error" />
    </div>
  );
}

function isPartyMatch(match: unknown): match is Match {
  return typeof match === "object" && match !== null && "explanation" in match;
}

/** One case: the screened record and the listed record side by side, why they matched, the raw source, the decision. */
export function CasePage({ caseId }: { caseId: number }) {
  const [detail, setDetail] = useState<CaseDetail>();
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");

  const load = useCallback(async () => {
    try {
      setDetail(await api<CaseDetail>("GET", `/cases/${caseId}`));
      setError("");
    } catch (e) {
      setError(failureText(e));
    }
  }, [caseId]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!detail)
    return (
      <>
        <h1>Case {caseId}</h1>
        <Status message={error || "Loading case…"} tone={error ? "error" : "info"} />
      </>
    );

  const c = detail.case;
  const match = isPartyMatch(c.match) ? c.match : undefined;
  return (
    <>
      <p className="crumbs">
        <a href="#/queue">← Review queue</a>
      </p>
      <div className="case-head">
        <h1>
          Case {c.id}: {c.subjectName} <span className="muted">vs</span> {c.targetName}
        </h1>
        <div className="row">
          <StateBadge state={c.state} />
          <Score value={c.score} />
          <span className="small muted">
            version {c.version} · {c.hitCount} hit(s) · last hit <When at={c.lastHitAt} />
            {c.assignee ? ` · assigned to ${c.assignee}` : ""}
          </span>
        </div>
      </div>
      <Status message={notice} tone="ok" />
      {detail.clearance && (
        <p className="notice">
          On the allow-list: cleared by {detail.clearance.clearedBy} on{" "}
          <When at={detail.clearance.clearedAt} /> — {detail.clearance.reason}
          {detail.clearance.expiresAt ? ` (until ${detail.clearance.expiresAt})` : ""}. Later hits on this
          record are suppressed until it changes.
        </p>
      )}
      <div className="grid-2">
        <QueryPanel query={(c.query ?? {}) as Record<string, unknown>} subjectId={c.subjectId} />
        <EntityPanel entity={detail.entity} {...(c.listVersion ? { listVersion: c.listVersion } : {})} />
      </div>
      {match ? (
        <ExplanationPanel explanation={match.explanation} score={c.score} />
      ) : (
        <section className="card">
          <h2>Screening result</h2>
          <pre className="raw">{JSON.stringify(c.match, null, 2)}</pre>
        </section>
      )}
      <DecisionForm
        key={c.version}
        detail={detail}
        onDone={(message) => {
          setNotice(message);
          void load();
        }}
      />
      <div className="grid-2">
        <section className="card" aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <ol className="history">
            {detail.events.map((e) => (
              <li key={e.seq}>
                <When at={e.at} /> · <strong>{e.actor}</strong> · {e.type}
                {e.fromState || e.toState ? ` (${e.fromState ?? "—"} → ${e.toState ?? "—"})` : ""}
                {e.reason ? <div className="reason">{e.reason}</div> : null}
              </li>
            ))}
          </ol>
        </section>
        <AssignForm
          detail={detail}
          onDone={(m) => {
            setNotice(m);
            void load();
          }}
        />
      </div>
      {detail.entity?.raw !== undefined && (
        <section className="card">
          <details>
            <summary>Raw source record as published ({detail.entity.listId})</summary>
            <pre className="raw">{JSON.stringify(detail.entity.raw, null, 2)}</pre>
          </details>
        </section>
      )}
    </>
  );
}
