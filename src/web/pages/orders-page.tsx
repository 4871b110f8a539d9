import { type FormEvent, useId, useState } from "react";
import { api, failureText } from "../api.js";
import { Status } from "../ui.js";

const EXAMPLE = {
  id: "SO-1001",
  date: "2025-03-14",
  parties: [
    { role: "buyer", name: "Gulf Star Electronics FZE", country: "AE", email: "sales.gulfstar@gmail.com" },
    { role: "end_user", name: "Unknown", country: "RU" },
  ],
  items: [
    {
      id: "1",
      hs_code: "8542.31",
      description: "microcontroller",
      quantity: 500,
      unit_price: 2.5,
      currency: "USD",
    },
  ],
  route: { transit: ["AM"] },
  payment: { method: "wire", payer_country: "HK", currency: "USD" },
  end_use: "",
  end_user_statement: false,
  customer: { first_order: true, prior_orders: 0 },
};

interface Flag {
  rule: string;
  title: string;
  severity: string;
  outcome: "triggered" | "not_triggered" | "could_not_run";
  redFlags: string[];
  evidence: Record<string, unknown> | null;
  missing?: Array<{ fact: string; needs: string }>;
}

interface OrderResult {
  id: string;
  decision: "block" | "review" | "clear";
  reasons?: Array<{ text: string; clause: string }>;
  flags: Flag[];
  parties: Array<{
    role: string;
    name: string;
    country?: string;
    status: string;
    matches: Array<{ entityId?: string; name?: string; score?: number }>;
  }>;
  items: Array<{
    id: string;
    description?: string;
    hs_code?: string;
    status: string;
    controls: Array<{ list: string; code?: string; category?: string; tier?: string }>;
  }>;
  rulePack?: { id: string; version: string };
}

const OUTCOME_WORDS = {
  triggered: "Triggered",
  not_triggered: "Not triggered",
  could_not_run: "Could not run (data missing)",
};

/** Paste an order as JSON: its decision, the red-flag rules with their sources and evidence, parties and items. */
export function OrdersPage() {
  const id = useId();
  const [text, setText] = useState(JSON.stringify(EXAMPLE, null, 2));
  const [result, setResult] = useState<OrderResult>();
  const [status, setStatus] = useState<{ text: string; tone: "info" | "error" | "ok" }>({
    text: "",
    tone: "info",
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let order: unknown;
    try {
      order = JSON.parse(text);
    } catch (error) {
      setStatus({ text: `The order is not valid JSON: ${(error as Error).message}`, tone: "error" });
      return;
    }
    setStatus({ text: "Screening the order…", tone: "info" });
    try {
      const answer = await api<{ results: OrderResult[] }>("POST", "/screen/orders", {
        orders: Array.isArray(order) ? order : [order],
      });
      setResult(answer.results[0]);
      setStatus({
        text: `Order ${answer.results[0]?.id ?? ""} screened: ${answer.results[0]?.decision}.`,
        tone: "ok",
      });
    } catch (error) {
      setStatus({ text: failureText(error), tone: "error" });
    }
  };

  const shown = result?.flags.filter((f) => f.outcome !== "not_triggered") ?? [];
  return (
    <>
      <h1>Order report</h1>
      <form className="card stack" onSubmit={submit}>
        <label htmlFor={id}>Order (JSON, the shape of `chokepoint orders`)</label>
        <textarea id={id} rows={14} className="mono" value={text} onChange={(e) => setText(e.target.value)} />
        <div className="row">
          <button type="submit" className="primary">
            Screen order
          </button>
        </div>
      </form>
      <Status message={status.text} tone={status.tone} />
      {result && (
        <section className="card" aria-labelledby="decision-heading">
          <h2 id="decision-heading">
            Decision:{" "}
            <span className={`badge decision-${result.decision}`}>{result.decision.toUpperCase()}</span>
          </h2>
          {result.reasons && (
            <ul>
              {result.reasons.map((r) => (
                <li key={`${r.clause}-${r.text}`}>{r.text}</li>
              ))}
            </ul>
          )}
          <h3>Red flags</h3>
          <table className="table">
            <caption className="sr-only">Rules that triggered or could not run</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Outcome</th>
                <th scope="col">Severity</th>
                <th scope="col">Sources (advisory red flags)</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((f) => (
                <tr key={f.rule}>
                  <td>
                    <strong>{f.rule}</strong>
                    <div className="small">{f.title}</div>
                  </td>
                  <td>
                    <span className={`badge outcome-${f.outcome}`}>{OUTCOME_WORDS[f.outcome]}</span>
                  </td>
                  <td>{f.severity}</td>
                  <td>{f.redFlags.join(", ") || "—"}</td>
                  <td className="small">
                    {f.evidence ? <code>{JSON.stringify(f.evidence)}</code> : null}
                    {f.missing?.map((m) => (
                      <div key={m.fact}>
                        missing {m.fact}: {m.needs}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
              {shown.length === 0 && (
                <tr>
                  <td colSpan={5} className="empty">
                    No rule triggered.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <p className="small muted">
            {result.flags.length - shown.length} more rules ran and did not trigger
            {result.rulePack ? ` (rule pack ${result.rulePack.id} ${result.rulePack.version})` : ""}.
          </p>
          <div className="grid-2">
            <div>
              <h3>Parties</h3>
              <ul>
                {result.parties.map((p) => (
                  <li key={`${p.role}-${p.name}`}>
                    <strong>{p.role}</strong>: {p.name} {p.country ? `(${p.country})` : ""} — {p.status}
                    {p.matches.length > 0 &&
                      ` · ${p.matches.length} match(es): ${p.matches.map((m) => m.name ?? m.entityId).join(", ")}`}
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3>Items</h3>
              <ul>
                {result.items.map((i) => (
                  <li key={i.id}>
                    {i.id}: {i.description ?? i.hs_code ?? ""} — {i.status}
                    {i.controls.length > 0 &&
                      ` · ${i.controls.map((c) => `${c.list} ${c.code ?? c.category ?? ""} ${c.tier ?? ""}`).join(", ")}`}
                  </li>
                ))}
              </ul>
            </div>
          </div>
        </section>
      )}
    </>
  );
}
