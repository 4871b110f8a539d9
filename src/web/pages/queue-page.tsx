import { useEffect, useId, useState } from "react";
import { api, failureText } from "../api.js";
import { CASE_STATES, type QueuePage as Page, STATE_LABELS } from "../types.js";
import { Score, StateBadge, Status, When } from "../ui.js";

const PAGE_SIZE = 50;
const STATE_FILTERS = [
  { value: "queue", label: "To do (open, in review, escalated)" },
  ...CASE_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] })),
  { value: "all", label: "All states" },
] as const;

/** The review queue: filters with counts, a page of 50 cases (paged by the server), best score first. */
export function QueuePage() {
  const ids = { state: useId(), list: useId(), assignee: useId(), q: useId() };
  const [state, setState] = useState("queue");
  const [list, setList] = useState("");
  const [assignee, setAssignee] = useState("");
  const [q, setQ] = useState("");
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page>();
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(false);

  // Typing waits for a pause before asking the server.
  useEffect(() => {
    const timer = setTimeout(() => setSearch(q), 250);
    return () => clearTimeout(timer);
  }, [q]);

  useEffect(() => {
    let live = true;
    const params = new URLSearchParams({ state, limit: String(PAGE_SIZE), offset: String(offset) });
    if (list) params.set("list", list);
    if (assignee.trim()) params.set("assignee", assignee.trim());
    if (search.trim()) params.set("q", search.trim());
    setLoading(true);
    api<Page>("GET", `/cases?${params}`)
      .then((answer) => {
        if (!live) return;
        setPage(answer);
        setError("");
      })
      .catch((e) => live && setError(failureText(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [state, list, assignee, search, offset]);

  const total = page?.total ?? 0;
  const counts = page?.counts;
  const todo = counts ? counts.open + counts.in_review + counts.escalated : 0;

  return (
    <>
      <h1>Review queue</h1>
      {counts && (
        <ul className="counts" aria-label="Cases per state">
          {CASE_STATES.map((s) => (
            <li key={s}>
              <button
                type="button"
                className={`count-chip ${state === s ? "active" : ""}`}
                aria-pressed={state === s}
                onClick={() => {
                  setState(s);
                  setOffset(0);
                }}
              >
                <span className="count-number">{counts[s].toLocaleString()}</span>
                <span>{STATE_LABELS[s]}</span>
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              className={`count-chip ${state === "queue" ? "active" : ""}`}
              aria-pressed={state === "queue"}
              onClick={() => {
                setState("queue");
                setOffset(0);
              }}
            >
              <span className="count-number">{todo.toLocaleString()}</span>
              <span>To do</span>
            </button>
          </li>
        </ul>
      )}
      <form className="filters card" onSubmit={(e) => e.preventDefault()} aria-label="Filter cases">
        <div className="stack">
          <label htmlFor={ids.state}>State</label>
          <select
            id={ids.state}
            value={state}
            onChange={(e) => {
              setState(e.target.value);
              setOffset(0);
            }}
          >
            {STATE_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="stack">
          <label htmlFor={ids.list}>List</label>
          <select
            id={ids.list}
            value={list}
            onChange={(e) => {
              setList(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">All lists</option>
            {Object.entries(page?.lists ?? {})
              .filter(([id]) => id !== "(order)")
              .map(([id, n]) => (
                <option key={id} value={id}>
                  {id} ({n.toLocaleString()})
                </option>
              ))}
            {list && page?.lists[list] === undefined ? <option value={list}>{list}</option> : null}
          </select>
        </div>
        <div className="stack">
          <label htmlFor={ids.assignee}>Assignee</label>
          <input
            id={ids.assignee}
            value={assignee}
            onChange={(e) => {
              setAssignee(e.target.value);
              setOffset(0);
            }}
            autoComplete="off"
          />
        </div>
        <div className="stack grow">
          <label htmlFor={ids.q}>Search names and ids</label>
          <input
            id={ids.q}
            type="search"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setOffset(0);
            }}
            autoComplete="off"
          />
        </div>
      </form>
      <Status
        message={error || (loading ? "Loading cases…" : page ? `${total.toLocaleString()} cases match.` : "")}
        tone={error ? "error" : "info"}
      />
      {page && (
        <div className="card flush">
          <table className="table queue" data-testid="queue-table" aria-busy={loading}>
            <caption className="sr-only">
              Cases {total === 0 ? 0 : offset + 1}–{offset + page.cases.length} of {total}, highest score
              first
            </caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Screened</th>
                <th scope="col">Listed record</th>
                <th scope="col">List</th>
                <th scope="col">Score</th>
                <th scope="col">State</th>
                <th scope="col">Assignee</th>
                <th scope="col">Opened</th>
              </tr>
            </thead>
            <tbody>
              {page.cases.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={`#/cases/${c.id}`}>#{c.id}</a>
                  </td>
                  <td>
                    {c.subjectName}
                    <div className="muted small">{c.subjectId}</div>
                  </td>
                  <td>
                    {c.targetName}
                    <div className="muted small">{c.targetId}</div>
                  </td>
                  <td>{c.listId ?? c.subjectKind}</td>
                  <td>
                    <Score value={c.score} />
                  </td>
                  <td>
                    <StateBadge state={c.state} />
                  </td>
                  <td>{c.assignee ?? <span className="muted">—</span>}</td>
                  <td>
                    <When at={c.openedAt} />
                  </td>
                </tr>
              ))}
              {page.cases.length === 0 && (
                <tr>
                  <td colSpan={8} className="empty">
                    No cases match these filters.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <nav className="pager" aria-label="Pages">
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
            >
              Previous
            </button>
            <span>
              {total === 0 ? 0 : (offset + 1).toLocaleString()}–
              {(offset + page.cases.length).toLocaleString()} of {total.toLocaleString()}
            </span>
            <button
              type="button"
              disabled={offset + PAGE_SIZE >= total}
              onClick={() => setOffset(offset + PAGE_SIZE)}
            >
              Next
            </button>
          </nav>
        </div>
      )}
    </>
  );
}
