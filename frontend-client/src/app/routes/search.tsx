/** Search results when an id matched several objects, or none exactly. */
import { useQuery } from "urql";
import { Link } from "wouter";
import { Search } from "../../features/search/api/search";
import { pageFor } from "../../lib/links";
import { useQueryParams } from "../../lib/url-state";
import { QueryState } from "../../ui/QueryState";

export default function SearchResults() {
  const [params] = useQueryParams();
  const text = params.get("q")?.trim() ?? "";
  const [result, refetch] = useQuery({ query: Search, variables: { text }, pause: !text });
  const hits = result.data?.search ?? [];
  return (
    <>
      <h1>Search: {text || "…"}</h1>
      {!text ? (
        <p>Type an id or a supplier lot number in the search box above.</p>
      ) : (
        <QueryState
          fetching={result.fetching}
          error={result.error}
          empty={hits.length === 0}
          what="matches"
          emptyText={`Nothing has the id or supplier lot number “${text}”.`}
          retry={() => refetch({ requestPolicy: "network-only" })}
        >
          <table className="table">
            <caption className="visually-hidden">Objects matching {text}</caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Kind</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {hits.map((hit) => (
                <tr key={`${hit.label}:${hit.id}`}>
                  <td>
                    <Link href={pageFor(hit.label, hit.id)}>{hit.id}</Link>
                  </td>
                  <td>{hit.label}</td>
                  <td>{hit.title}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </QueryState>
      )}
    </>
  );
}
