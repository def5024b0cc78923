/** The signed-in session (token, role, name) for components that show or gate actions. */
import { createContext, useContext } from "react";
import { type Action, can } from "../lib/roles";
import type { Session } from "../lib/token-store";

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside the signed-in app");
  return session;
}

export function useCan(action: Action): boolean {
  return can(useSession().role, action);
}
