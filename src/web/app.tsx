import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { storedKey, storeKey } from "./api.js";
import { CasePage } from "./pages/case-page.js";
import { ListsPage } from "./pages/lists-page.js";
import { OrdersPage } from "./pages/orders-page.js";
import { QueuePage } from "./pages/queue-page.js";
import { ScreenPage } from "./pages/screen-page.js";

/** The pages, addressed as `#/name` so UI routes never collide with API paths on the same server. */
const NAV = [
  { path: "/screen", label: "Screen" },
  { path: "/queue", label: "Review queue" },
  { path: "/orders", label: "Order report" },
  { path: "/lists", label: "Lists" },
] as const;

function currentRoute(): string {
  const hash = window.location.hash.replace(/^#/, "");
  return hash.startsWith("/") ? hash : "/queue";
}

/** The hash route, updated on navigation. */
function useRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

function KeyForm({ onKey }: { onKey: (key: string) => void }) {
  const [value, setValue] = useState("");
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) onKey(value.trim());
  };
  return (
    <main className="page narrow" id="main">
      <h1>Sign in</h1>
      <p className="muted">
        Enter your API key (create one with <code>chokepoint keys create --role analyst</code>). It is kept
        for this browser tab only.
      </p>
      <form onSubmit={submit} className="card stack">
        <label htmlFor={id}>API key</label>
        <input
          id={id}
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required
        />
        <button type="submit" className="primary">
          Continue
        </button>
      </form>
    </main>
  );
}

/**
 * The review UI: a key gate, the navigation and one page per hash route. Focus moves to the page
 * heading on navigation so keyboard and screen-reader users start at the top of the new page.
 */
export function App() {
  const [key, setKey] = useState(storedKey);
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const heading = mainRef.current?.querySelector("h1");
    if (heading instanceof HTMLElement && route) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
    }
  }, [route]);

  if (!key)
    return (
      <KeyForm
        onKey={(k) => {
          storeKey(k);
          setKey(k);
        }}
      />
    );

  const caseMatch = /^\/cases\/(\d+)/.exec(route);
  let page: React.ReactNode;
  if (caseMatch) page = <CasePage caseId={Number(caseMatch[1])} />;
  else if (route.startsWith("/screen")) page = <ScreenPage />;
  else if (route.startsWith("/orders")) page = <OrdersPage />;
  else if (route.startsWith("/lists")) page = <ListsPage />;
  else page = <QueuePage />;

  return (
    <>
      <button type="button" className="skip" onClick={() => mainRef.current?.focus()}>
        Skip to content
      </button>
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{" "}
          Chokepoint
        </span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => {
              const active = route.startsWith(item.path) || (item.path === "/queue" && !!caseMatch);
              return (
                <li key={item.path}>
                  <a href={`#${item.path}`} aria-current={active ? "page" : undefined}>
                    {item.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            storeKey(undefined);
            setKey(undefined);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="page">
        {page}
      </main>
    </>
  );
}
