/** The frame of every signed-in page: navigation, search, who is signed in, the status bar. */
import type { ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { ROLE_LABEL } from "../lib/roles";
import { endSession } from "../lib/token-store";
import { SearchBox } from "./search-box";
import { useSession } from "./session";
import { StatusBar } from "./status-bar";

const NAV = [
  { href: "/", label: "Plant board" },
  { href: "/alerts", label: "Alerts" },
  { href: "/orders", label: "Orders" },
  { href: "/trace", label: "Trace" },
  { href: "/quality", label: "Quality" },
];

export function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const [location] = useLocation();
  const active = (href: string) =>
    href === "/"
      ? location === "/" || location.startsWith("/machines")
      : location.startsWith(href) || (href === "/orders" && location.startsWith("/work-orders"));
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <Link href="/" className="brand">
          factorygraph
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <Link
                  href={item.href}
                  className={active(item.href) ? "active" : undefined}
                  aria-current={active(item.href) ? "page" : undefined}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <SearchBox />
        <div className="who" data-testid="who">
          <span className="role-badge" data-testid="role">
            {ROLE_LABEL[session.role]}
          </span>
          {session.name && <span className="who-name">{session.name}</span>}
          <button type="button" onClick={() => endSession("You signed out.")}>
            Sign out
          </button>
        </div>
      </header>
      <main className="page" id="main">
        {children}
      </main>
      <StatusBar />
    </div>
  );
}
