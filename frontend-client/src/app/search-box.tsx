/** The global search: an id (machine, order, lot, batch, customer) or a supplier lot number. */
import { type FormEvent, useState } from "react";
import { useClient } from "urql";
import { useLocation } from "wouter";
import { Search } from "../features/search/api/search";
import { pageFor } from "../lib/links";

export function SearchBox() {
  const client = useClient();
  const [, navigate] = useLocation();
  const [text, setText] = useState("");
  const [message, setMessage] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const wanted = text.trim();
    if (!wanted) return;
    const result = await client
      .query(Search, { text: wanted }, { requestPolicy: "network-only" })
      .toPromise();
    const hits = result.data?.search ?? [];
    const exact = hits.filter((h) => h.id === wanted || h.title.includes(wanted));
    if (result.error) {
      setMessage(result.error.graphQLErrors[0]?.message ?? "search failed");
      return;
    }
    setMessage(null);
    const only = exact.length === 1 ? exact[0] : hits.length === 1 ? hits[0] : undefined;
    if (only) navigate(pageFor(only.label, only.id));
    else navigate(`/search?q=${encodeURIComponent(wanted)}`);
  }

  return (
    <search className="search-box">
      <form onSubmit={submit}>
        <label htmlFor="global-search" className="visually-hidden">
          Search by id or supplier lot number
        </label>
        <input
          id="global-search"
          type="search"
          placeholder="Search id or supplier lot…"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">Go</button>
        {message && (
          <span className="search-message" role="alert">
            {message}
          </span>
        )}
      </form>
    </search>
  );
}
