/** Loading, error and empty states, the same on every page. */
import type { CombinedError } from "@urql/core";
import type { ReactNode } from "react";

export function Loading({ what }: { what: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorBox({ error, retry }: { error: CombinedError | Error; retry?: () => void }) {
  const message =
    "graphQLErrors" in error && error.graphQLErrors.length
      ? error.graphQLErrors.map((e) => e.message).join("; ")
      : "networkError" in error && error.networkError
        ? `The service cannot be reached (${error.networkError.message}).`
        : error.message;
  return (
    <div className="state state-error" role="alert">
      <p>Could not load: {message}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

/** Renders the first of loading / error / empty that applies, else the children. */
export function QueryState({
  fetching,
  error,
  empty,
  what,
  emptyText,
  retry,
  children,
}: {
  fetching: boolean;
  error: CombinedError | undefined;
  empty: boolean;
  what: string;
  emptyText: ReactNode;
  retry?: () => void;
  children: ReactNode;
}) {
  if (error && empty) return <ErrorBox error={error} retry={retry} />;
  if (fetching && empty) return <Loading what={what} />;
  if (empty) return <Empty>{emptyText}</Empty>;
  return <>{children}</>;
}
