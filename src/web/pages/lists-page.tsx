import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { api, failureText } from "../api.js";
import type { ListVersion } from "../types.js";
import { Status, When } from "../ui.js";

interface Diff {
  listId: string;
  from: number;
  to: number;
  versions: ListVersion[];
  counts?: { added: number; removed: number; changed: number };
  added: Array<{ id: string; name: string }>;
  removed: Array<{ id: string; name: string }>;
  changed: Array<{
    id: string;
    name: string;
    fields: Array<{ field: string; before: unknown; after: unknown }>;
  }>;
}

interface MonitoringSummary {
  customersTotal: number;
  newCases: number;
  lists: Array<{
    listId: string;
    fromVersion: number;
    toVersion: number;
    added: number;
    changed: number;
    removed: number;
    customersScreened: number;
    customersWithCandidates: number;
    newCases: number;
    suppressed: number;
    caseIds: number[];
  }>;
}

const short = (value: unknown) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text && text.length > 160 ? `${text.slice(0, 160)}…` : (text ?? "—");
};

function DiffView({ listId }: { listId: string }) {
  const [diff, setDiff] = useState<Diff>();
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  const [error, setError] = useState("");
  const fromId = useId();
  const toId = useId();

  useEffect(() => {
    const params = new URLSearchParams();
    if (from) params.set("from", String(from));
    if (to) params.set("to", String(to));
    api<Diff>("GET", `/lists/${encodeURIComponent(listId)}/diff?${params}`)
      .then((d) => {
        setDiff(d);
        setError("");
      })
      .catch((e) => setError(failureText(e)));
  }, [listId, from, to]);

  if (!diff) return <Status message={error || "Loading diff…"} tone={error ? "error" : "info"} />;
  const versions = [...diff.versions].sort((a, b) => b.version - a.version);
  return (
    <section className="card" aria-labelledby="diff-heading">
      <h2 id="diff-heading">
        Changes in {diff.listId}: version {diff.from} → {diff.to}
      </h2>
      <div className="row">
        <div className="stack">
          <label htmlFor={fromId}>From version</label>
          <select id={fromId} value={diff.from} onChange={(e) => setFrom(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
              </option>
            ))}
          </select>
        </div>
        <div className="stack">
          <label htmlFor={toId}>To version</label>
          <select id={toId} value={diff.to} onChange={(e) => setTo(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p>
        {diff.counts
          ? `${diff.counts.added} added, ${diff.counts.changed} changed, ${diff.counts.removed} removed.`
          : "Same version: no changes."}
      </p>
      {diff.changed.length > 0 && (
        <table className="table compact">
          <caption>Changed records</caption>
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {diff.changed.flatMap((c) =>
              c.fields.map((f, i) => (
                <tr key={`${c.id}-${f.field}`}>
                  <td>{i === 0 ? `${c.name} (${c.id})` : ""}</td>
                  <td>{f.field}</td>
                  <td className="small">{short(f.before)}</td>
                  <td className="small">{short(f.after)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      {diff.added.length > 0 && (
        <>
          <h3>Added</h3>
          <ul>
            {diff.added.map((a) => (
              <li key={a.id}>
                {a.name} ({a.id})
              </li>
            ))}
          </ul>
        </>
      )}
      {diff.removed.length > 0 && (
        <>
          <h3>Removed</h3>
          <ul>
            {diff.removed.map((a) => (
              <li key={a.id}>
                {a.name} ({a.id})
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Versions</h3>
      <table className="table compact">
        <caption className="sr-only">Every version of {diff.listId}</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Entities</th>
            <th scope="col">Published</th>
            <th scope="col">Imported</th>
            <th scope="col">Content hash</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td>{v.entityCount.toLocaleString()}</td>
              <td>{v.publishedAt ?? "—"}</td>
              <td>
                <When at={v.importedAt} />
              </td>
              <td className="mono small">{v.contentHash.slice(0, 12)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** List status with versions and diffs; imports (admin), monitoring runs and the audit check. */
export function ListsPage() {
  const pathsId = useId();
  const [lists, setLists] = useState<ListVersion[]>();
  const [selected, setSelected] = useState<string>();
  const [paths, setPaths] = useState("");
  const [status, setStatus] = useState<{ text: string; tone: "info" | "error" | "ok" }>({
    text: "",
    tone: "info",
  });
  const [monitoring, setMonitoring] = useState<MonitoringSummary>();

  const load = useCallback(() => {
    api<{ lists: ListVersion[] }>("GET", "/lists")
      .then((answer) => setLists(answer.lists))
      .catch((e) => setStatus({ text: failureText(e), tone: "error" }));
  }, []);
  useEffect(load, [load]);

  const runMonitoring = async () => {
    setStatus({ text: "Re-screening customers against what changed…", tone: "info" });
    try {
      const summary = await api<MonitoringSummary>("POST", "/monitoring/run");
      setMonitoring(summary);
      setStatus({
        text: `Monitoring done: ${summary.newCases} new or reopened case(s) across ${summary.lists.length} updated list(s).`,
        tone: "ok",
      });
    } catch (e) {
      setStatus({ text: failureText(e), tone: "error" });
    }
  };

  const importLists = async (event: FormEvent) => {
    event.preventDefault();
    const list = paths
      .split(/[\n,]/)
      .map((p) => p.trim())
      .filter(Boolean);
    if (list.length === 0) return;
    setStatus({ text: "Importing…", tone: "info" });
    try {
      const answer = await api<{
        results: Array<{ listId: string; status: string; version?: number; error?: string }>;
      }>("POST", "/lists/import", { paths: list });
      load();
      const text = answer.results
        .map(
          (r) =>
            `${r.listId}: ${r.status}${r.version ? ` (version ${r.version})` : ""}${r.error ? ` — ${r.error}` : ""}`,
        )
        .join("; ");
      setStatus({ text: `Import finished. ${text || "No list found."}`, tone: "ok" });
      if (answer.results.some((r) => r.status === "created")) await runMonitoring();
    } catch (e) {
      setStatus({ text: failureText(e), tone: "error" });
    }
  };

  const verify = async () => {
    setStatus({ text: "Verifying the audit trail…", tone: "info" });
    try {
      const result = await api<{ ok: boolean; records: number; problems: Array<{ message: string }> }>(
        "GET",
        "/audit/verify",
      );
      setStatus({
        text: result.ok
          ? `Audit trail intact: ${result.records.toLocaleString()} records, hash chain verified.`
          : `Audit trail BROKEN: ${result.problems.map((p) => p.message).join("; ")}`,
        tone: result.ok ? "ok" : "error",
      });
    } catch (e) {
      setStatus({ text: failureText(e), tone: "error" });
    }
  };

  return (
    <>
      <h1>Lists</h1>
      <div className="card flush">
        <table className="table">
          <caption className="sr-only">Current version of every list</caption>
          <thead>
            <tr>
              <th scope="col">List</th>
              <th scope="col">Version</th>
              <th scope="col">Entities</th>
              <th scope="col">Source</th>
              <th scope="col">Published</th>
              <th scope="col">Imported</th>
              <th scope="col">Parse issues</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {(lists ?? []).map((l) => (
              <tr key={l.listId}>
                <th scope="row">{l.listId}</th>
                <td>
                  {l.version}
                  {l.indexed === false ? (
                    <span className="badge state-escalated">not yet indexed</span>
                  ) : null}
                </td>
                <td>{l.entityCount.toLocaleString()}</td>
                <td className="small">{l.sourceFiles.join(", ")}</td>
                <td>{l.publishedAt ?? "—"}</td>
                <td>
                  <When at={l.importedAt} />
                </td>
                <td>{l.issueCount}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => setSelected(l.listId)}
                    aria-pressed={selected === l.listId}
                  >
                    Versions and diff
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Status message={status.text} tone={status.tone} />
      {selected && <DiffView key={selected} listId={selected} />}
      <div className="grid-2">
        <form className="card stack" onSubmit={importLists}>
          <h2>Import a new version (admin)</h2>
          <label htmlFor={pathsId}>Files or folders inside the server's import folder, one per line</label>
          <textarea id={pathsId} rows={2} value={paths} onChange={(e) => setPaths(e.target.value)} />
          <button type="submit" className="primary">
            Import and monitor
          </button>
        </form>
        <div className="card stack">
          <h2>Monitoring and audit</h2>
          <p className="small muted">
            Monitoring re-screens stored customers against the records added or changed since the last run.
          </p>
          <div className="row">
            <button type="button" onClick={() => void runMonitoring()}>
              Run monitoring
            </button>
            <button type="button" onClick={() => void verify()}>
              Verify audit trail
            </button>
          </div>
        </div>
      </div>
      {monitoring && (
        <section className="card" aria-labelledby="monitoring-heading">
          <h2 id="monitoring-heading">Monitoring summary</h2>
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">List</th>
                <th scope="col">Versions</th>
                <th scope="col">Added / changed / removed</th>
                <th scope="col">Customers screened</th>
                <th scope="col">With candidates</th>
                <th scope="col">New cases</th>
                <th scope="col">Suppressed</th>
              </tr>
            </thead>
            <tbody>
              {monitoring.lists.map((l) => (
                <tr key={l.listId}>
                  <th scope="row">{l.listId}</th>
                  <td>
                    {l.fromVersion} → {l.toVersion}
                  </td>
                  <td>
                    {l.added} / {l.changed} / {l.removed}
                  </td>
                  <td>
                    {l.customersScreened} of {monitoring.customersTotal}
                  </td>
                  <td>{l.customersWithCandidates}</td>
                  <td>
                    {l.caseIds.length > 0
                      ? l.caseIds.map((id) => (
                          <a key={id} href={`#/cases/${id}`} className="case-link">
                            Case {id}
                          </a>
                        ))
                      : l.newCases}
                  </td>
                  <td>{l.suppressed}</td>
                </tr>
              ))}
              {monitoring.lists.length === 0 && (
                <tr>
                  <td colSpan={7} className="empty">
                    No list changed since the last run.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
