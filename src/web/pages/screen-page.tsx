import { type FormEvent, useId, useState } from "react";
import { api, failureText } from "../api.js";
import type { Match, ScreenResult } from "../types.js";
import { Score, Status } from "../ui.js";

const SCHEMAS = ["", "Person", "Organization", "Vessel", "Aircraft"] as const;
/** Parties per request while uploading a file: small enough for steady progress, well under the API's 1,000. */
const UPLOAD_BATCH = 100;

interface Party {
  id?: string;
  name: string;
  schema?: string;
  country?: string;
  dob?: string;
}

/** A subject id for a name typed in the form: the same name is the same subject (allow-list pairs). */
function subjectIdFor(name: string): string {
  return `web:${name.trim().toLowerCase().replace(/\s+/g, " ")}`;
}

/** Splits one CSV line, honouring double quotes ("a, b" stays one field; "" is a quote). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

/** The parties of a screening CSV (header with id and name); throws a readable error otherwise. */
export function partiesFromCsv(text: string): Party[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = csvFields(lines[0] ?? "").map((h) => h.toLowerCase());
  if (!header.includes("name"))
    throw new Error("The file is not a screening CSV: its header needs a name column.");
  const col = (fields: string[], name: string) => {
    const index = header.indexOf(name);
    return index >= 0 ? fields[index] || undefined : undefined;
  };
  return lines.slice(1).flatMap((line, index) => {
    const fields = csvFields(line);
    const name = col(fields, "name");
    if (!name) return [];
    const schema = col(fields, "schema");
    const country = col(fields, "country");
    const dob = col(fields, "dob");
    return [
      {
        id: col(fields, "id") ?? `row-${index + 2}`,
        name,
        ...(schema && SCHEMAS.includes(schema as (typeof SCHEMAS)[number]) ? { schema } : {}),
        ...(country ? { country } : {}),
        ...(dob ? { dob } : {}),
      },
    ];
  });
}

function MatchRow({ match }: { match: Match }) {
  return (
    <tr className={match.suppressed ? "suppressed" : undefined}>
      <td>
        <strong>{match.name}</strong>
        <div className="muted small">{match.entityId}</div>
      </td>
      <td>{match.list}</td>
      <td>
        <Score value={match.score} />
      </td>
      <td>
        {match.suppressed ? (
          <span className="badge state-cleared">Suppressed (cleared before)</span>
        ) : match.match ? (
          <span className="badge state-open">Match</span>
        ) : (
          <span className="badge neutral">Below threshold</span>
        )}
      </td>
      <td>
        {match.caseId ? (
          <a href={`#/cases/${match.caseId}`}>
            Case {match.caseId}
            {match.caseOutcome ? ` (${match.caseOutcome})` : ""}
          </a>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="explain">{match.explanation.summary}</td>
    </tr>
  );
}

function Results({ results }: { results: ScreenResult[] }) {
  const withMatches = results.filter((r) => r.matches.length > 0);
  return (
    <section aria-labelledby="results-heading" className="card">
      <h2 id="results-heading">Results</h2>
      <p>
        {results.length} {results.length === 1 ? "party" : "parties"} screened; {withMatches.length} with
        candidates; {results.filter((r) => r.outcome === "suppressed").length} suppressed by the allow-list.
      </p>
      {withMatches.slice(0, 50).map((result) => (
        <div key={result.id} className="result">
          <h3>
            {result.id} <span className="muted small">outcome: {result.outcome ?? "—"}</span>
          </h3>
          <table className="table">
            <caption className="sr-only">Candidates for {result.id}</caption>
            <thead>
              <tr>
                <th scope="col">Listed record</th>
                <th scope="col">List</th>
                <th scope="col">Score</th>
                <th scope="col">Status</th>
                <th scope="col">Case</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {result.matches.map((m) => (
                <MatchRow key={m.entityId} match={m} />
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

/** Screen one name, or a CSV file in batches with a progress bar; hits open cases. */
export function ScreenPage() {
  const ids = { name: useId(), schema: useId(), country: useId(), dob: useId(), file: useId() };
  const [name, setName] = useState("");
  const [schema, setSchema] = useState("");
  const [country, setCountry] = useState("");
  const [dob, setDob] = useState("");
  const [results, setResults] = useState<ScreenResult[]>();
  const [status, setStatus] = useState<{ text: string; tone: "info" | "error" | "ok" }>({
    text: "",
    tone: "info",
  });
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [busy, setBusy] = useState(false);

  const screen = async (parties: Party[]) => {
    const out: ScreenResult[] = [];
    for (let i = 0; i < parties.length; i += UPLOAD_BATCH) {
      const batch = parties.slice(i, i + UPLOAD_BATCH);
      const answer = await api<{ results: ScreenResult[] }>("POST", "/screen/parties", {
        parties: batch,
        record: true,
        limit: 5,
      });
      out.push(...answer.results);
      setProgress({ done: Math.min(i + batch.length, parties.length), total: parties.length });
    }
    return out;
  };

  const submitName = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    setProgress(undefined);
    setStatus({ text: "Screening…", tone: "info" });
    try {
      const party: Party = {
        id: subjectIdFor(name),
        name: name.trim(),
        ...(schema ? { schema } : {}),
        ...(country.trim() ? { country: country.trim().toUpperCase() } : {}),
        ...(dob.trim() ? { dob: dob.trim() } : {}),
      };
      const out = await screen([party]);
      setResults(out);
      const hits = out[0]?.matches.filter((m) => m.caseId).length ?? 0;
      const suppressed = out[0]?.matches.filter((m) => m.suppressed).length ?? 0;
      setStatus({
        text: `Screened "${party.name}": ${hits} hit(s) at or above the threshold${suppressed ? `, ${suppressed} suppressed by an earlier clearance` : ""}.`,
        tone: "ok",
      });
    } catch (error) {
      setStatus({ text: failureText(error), tone: "error" });
    } finally {
      setBusy(false);
    }
  };

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setResults(undefined);
    try {
      if (
        !/\.(csv|txt)$/i.test(file.name) &&
        file.type &&
        !file.type.includes("csv") &&
        !file.type.startsWith("text/")
      )
        throw new Error(
          `${file.name} is not a CSV file (${file.type}); upload a CSV with id and name columns.`,
        );
      const parties = partiesFromCsv(await file.text());
      if (parties.length === 0) throw new Error(`${file.name} has no rows with a name.`);
      setProgress({ done: 0, total: parties.length });
      setStatus({ text: `Screening ${parties.length} parties from ${file.name}…`, tone: "info" });
      const out = await screen(parties);
      setResults(out);
      setStatus({ text: `Screened ${out.length} parties from ${file.name}.`, tone: "ok" });
    } catch (error) {
      setStatus({ text: failureText(error), tone: "error" });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Screen a party</h1>
      <div className="grid-2">
        <form className="card stack" onSubmit={submitName} aria-labelledby="screen-name-heading">
          <h2 id="screen-name-heading">One name</h2>
          <label htmlFor={ids.name}>Name</label>
          <input
            id={ids.name}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoComplete="off"
          />
          <div className="row">
            <div className="stack">
              <label htmlFor={ids.schema}>Type</label>
              <select id={ids.schema} value={schema} onChange={(e) => setSchema(e.target.value)}>
                {SCHEMAS.map((s) => (
                  <option key={s} value={s}>
                    {s || "Any"}
                  </option>
                ))}
              </select>
            </div>
            <div className="stack">
              <label htmlFor={ids.country}>Country (ISO code)</label>
              <input
                id={ids.country}
                value={country}
                maxLength={2}
                onChange={(e) => setCountry(e.target.value)}
              />
            </div>
            <div className="stack">
              <label htmlFor={ids.dob}>Date of birth</label>
              <input
                id={ids.dob}
                value={dob}
                placeholder="YYYY-MM-DD"
                onChange={(e) => setDob(e.target.value)}
              />
            </div>
          </div>
          <button type="submit" className="primary" disabled={busy}>
            Screen
          </button>
        </form>
        <div className="card stack">
          <h2>A file</h2>
          <label htmlFor={ids.file}>Screening CSV (columns id, name; optional schema, country, dob)</label>
          <input
            id={ids.file}
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(e) => void upload(e.target.files?.[0])}
          />
          {progress && (
            <>
              <progress max={progress.total} value={progress.done} aria-label="Screening progress">
                {progress.done} of {progress.total}
              </progress>
              <span className="small muted">
                {progress.done} of {progress.total} parties
              </span>
            </>
          )}
        </div>
      </div>
      <Status message={status.text} tone={status.tone} />
      {results && <Results results={results} />}
    </>
  );
}
