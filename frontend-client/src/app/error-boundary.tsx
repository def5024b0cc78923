/** A page that throws shows what happened and a way back, instead of a blank screen. */
import { Component, type ErrorInfo, type ReactNode } from "react";

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error("page failed", error, info.componentStack);
  }

  render() {
    if (this.state.error) {
      return (
        <main className="page" id="main">
          <h1>Something went wrong</h1>
          <p role="alert">{this.state.error.message}</p>
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </main>
      );
    }
    return this.props.children;
  }
}
