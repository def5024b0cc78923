/**
 * The route table. Every page is a deep link; its view state (filters, selection, depth)
 * lives in the query string. Pages load lazily, so the trace explorer's graph library and
 * the charts are fetched only by the pages that draw them.
 */
import { lazy, Suspense } from "react";
import { Route, Switch } from "wouter";
import { Loading } from "../ui/QueryState";
import { Layout } from "./layout";

const Board = lazy(() => import("./routes/board"));
const Machine = lazy(() => import("./routes/machine"));
const Alerts = lazy(() => import("./routes/alerts"));
const Orders = lazy(() => import("./routes/orders"));
const SalesOrder = lazy(() => import("./routes/sales-order"));
const WorkOrder = lazy(() => import("./routes/work-order"));
const Trace = lazy(() => import("./routes/trace"));
const Quality = lazy(() => import("./routes/quality"));
const SearchResults = lazy(() => import("./routes/search"));
const NotFound = lazy(() => import("./routes/not-found"));

export function Router() {
  return (
    <Layout>
      <Suspense fallback={<Loading what="the page" />}>
        <Switch>
          <Route path="/" component={Board} />
          <Route path="/machines/:id">{(p) => <Machine id={decodeURIComponent(p.id)} />}</Route>
          <Route path="/alerts" component={Alerts} />
          <Route path="/orders" component={Orders} />
          <Route path="/orders/:id">{(p) => <SalesOrder id={decodeURIComponent(p.id)} />}</Route>
          <Route path="/work-orders/:id">
            {(p) => <WorkOrder id={decodeURIComponent(p.id)} />}
          </Route>
          <Route path="/trace" component={Trace} />
          <Route path="/quality" component={Quality} />
          <Route path="/search" component={SearchResults} />
          <Route component={NotFound} />
        </Switch>
      </Suspense>
    </Layout>
  );
}
