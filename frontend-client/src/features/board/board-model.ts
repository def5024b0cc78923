/**
 * The plant board's arithmetic, as plain data: the layout (sites, lines in flow order), a
 * line's OEE from its machines' figures, state counts, and which tags are process values.
 */
import type { PlantBoardQuery } from "../../gql/graphql";
import { TILE_STATE_LABEL, type TileState } from "../../ui/StateBadge";

type QuerySite = PlantBoardQuery["sites"][number];
type QueryLine = QuerySite["areas"][number]["lines"][number];
export type BoardMachine = QueryLine["machines"][number];
export type BoardValue = BoardMachine["values"][number];

export interface BoardLine {
  id: string;
  name: string;
  areaName: string;
  machines: BoardMachine[];
}

export interface BoardSite {
  id: string;
  name: string;
  lines: BoardLine[];
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Sites in id order, each with its lines (of every area) by id, machines by id: flow order. */
export function boardLayout(sites: readonly QuerySite[]): BoardSite[] {
  return [...sites].sort(byId).map((site) => ({
    id: site.id,
    name: site.name,
    lines: site.areas
      .flatMap((area) =>
        area.lines.map((line) => ({
          id: line.id,
          name: line.name,
          areaName: area.name,
          machines: [...line.machines].sort(byId),
        })),
      )
      .sort(byId),
  }));
}

/** The ISO 22400 inputs of one machine (or several) over some planned busy time. */
export interface OeeInputs {
  plannedBusyTimeS: number;
  actualProductionTimeS: number;
  idleTimeS: number;
  downTimeS: number;
  unknownTimeS: number;
  goodCount: number;
  scrapCount: number;
  idealProductionTimeS?: number | null;
}

export interface OeeFigures extends Required<OeeInputs> {
  producedCount: number;
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
}

const ratio = (n: number, d: number) => (d > 0 ? n / d : null);

/**
 * Several machines as one, as the API's roll-ups do: times and counts summed, ratios from the
 * sums (never an average of ratios); ideal production time is unknown if any part's is.
 */
export function rollUp(parts: readonly OeeInputs[]): OeeFigures {
  const sum = {
    plannedBusyTimeS: 0,
    actualProductionTimeS: 0,
    idleTimeS: 0,
    downTimeS: 0,
    unknownTimeS: 0,
    goodCount: 0,
    scrapCount: 0,
    idealProductionTimeS: 0 as number | null,
  };
  for (const p of parts) {
    sum.plannedBusyTimeS += p.plannedBusyTimeS;
    sum.actualProductionTimeS += p.actualProductionTimeS;
    sum.idleTimeS += p.idleTimeS;
    sum.downTimeS += p.downTimeS;
    sum.unknownTimeS += p.unknownTimeS;
    sum.goodCount += p.goodCount;
    sum.scrapCount += p.scrapCount;
    const ideal = p.idealProductionTimeS ?? null;
    sum.idealProductionTimeS =
      sum.idealProductionTimeS === null || ideal === null ? null : sum.idealProductionTimeS + ideal;
  }
  const producedCount = sum.goodCount + sum.scrapCount;
  const availability = ratio(sum.actualProductionTimeS, sum.plannedBusyTimeS);
  const performance =
    sum.idealProductionTimeS === null
      ? null
      : ratio(sum.idealProductionTimeS, sum.actualProductionTimeS);
  const quality = ratio(sum.goodCount, producedCount);
  const oee =
    availability === null || performance === null || quality === null
      ? null
      : availability * performance * quality;
  return { ...sum, producedCount, availability, performance, quality, oee };
}

export const TILE_STATES = Object.keys(TILE_STATE_LABEL) as TileState[];

/** How many machines are in each state (every state present, zeros included). */
export function countStates(states: Iterable<TileState>): Record<TileState, number> {
  const counts = Object.fromEntries(TILE_STATES.map((s) => [s, 0])) as Record<TileState, number>;
  for (const state of states) counts[state] += 1;
  return counts;
}

/** Tags the tile does not list as process values: the state itself and the shift counters. */
const NOT_PROCESS =
  /^(state|operation[_ ]?mode|current[_ ]?work[_ ]?order[_ ]?id|good[_ ]?parts|scrap[_ ]?parts)$/i;

export function processValues<V extends { name: string }>(values: readonly V[]): V[] {
  return values.filter((v) => !NOT_PROCESS.test(v.name));
}
