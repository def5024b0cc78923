/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ForesightStatus {\n    foresight {\n      state\n      modelVersion\n      progress\n      message\n      startedAt\n      finishedAt\n    }\n  }\n": typeof types.ForesightStatusDocument,
    "\n  query MachineStatesSnapshot($after: String) {\n    machines(first: 500, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        state\n        stateAt\n      }\n    }\n  }\n": typeof types.MachineStatesSnapshotDocument,
    "\n  subscription MachineStateFeed {\n    machineStateChanged {\n      machineId\n      state\n      previousState\n      at\n    }\n  }\n": typeof types.MachineStateFeedDocument,
    "\n  subscription QualityEventFeed {\n    qualityEvents {\n      id\n      kind\n      severity\n      occurredAt\n      description\n      subjectIds\n    }\n  }\n": typeof types.QualityEventFeedDocument,
    "\n  query RiskAlertsSnapshot {\n    riskAlerts(first: 500, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      nodes {\n        id\n        severity\n        message\n        createdAt\n        acknowledged\n        kind\n        probability\n        horizonH\n        closedAt\n        about {\n          id\n          label\n        }\n        salesOrders {\n          id\n        }\n      }\n    }\n  }\n": typeof types.RiskAlertsSnapshotDocument,
    "\n  subscription RiskAlertFeed {\n    riskAlerts {\n      id\n      severity\n      message\n      createdAt\n      acknowledged\n      kind\n      probability\n      horizonH\n      closedAt\n      aboutIds\n      affectedSalesOrderIds\n    }\n  }\n": typeof types.RiskAlertFeedDocument,
    "\n  subscription WorkOrderProgressFeed {\n    workOrderProgress {\n      workOrderId\n      status\n      producedQuantity\n      quantity\n      unit\n      at\n      batchId\n    }\n  }\n": typeof types.WorkOrderProgressFeedDocument,
    "\n  query Search($text: String!) {\n    search(text: $text, first: 20) {\n      id\n      label\n      title\n    }\n  }\n": typeof types.SearchDocument,
};
const documents: Documents = {
    "\n  query ForesightStatus {\n    foresight {\n      state\n      modelVersion\n      progress\n      message\n      startedAt\n      finishedAt\n    }\n  }\n": types.ForesightStatusDocument,
    "\n  query MachineStatesSnapshot($after: String) {\n    machines(first: 500, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        state\n        stateAt\n      }\n    }\n  }\n": types.MachineStatesSnapshotDocument,
    "\n  subscription MachineStateFeed {\n    machineStateChanged {\n      machineId\n      state\n      previousState\n      at\n    }\n  }\n": types.MachineStateFeedDocument,
    "\n  subscription QualityEventFeed {\n    qualityEvents {\n      id\n      kind\n      severity\n      occurredAt\n      description\n      subjectIds\n    }\n  }\n": types.QualityEventFeedDocument,
    "\n  query RiskAlertsSnapshot {\n    riskAlerts(first: 500, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      nodes {\n        id\n        severity\n        message\n        createdAt\n        acknowledged\n        kind\n        probability\n        horizonH\n        closedAt\n        about {\n          id\n          label\n        }\n        salesOrders {\n          id\n        }\n      }\n    }\n  }\n": types.RiskAlertsSnapshotDocument,
    "\n  subscription RiskAlertFeed {\n    riskAlerts {\n      id\n      severity\n      message\n      createdAt\n      acknowledged\n      kind\n      probability\n      horizonH\n      closedAt\n      aboutIds\n      affectedSalesOrderIds\n    }\n  }\n": types.RiskAlertFeedDocument,
    "\n  subscription WorkOrderProgressFeed {\n    workOrderProgress {\n      workOrderId\n      status\n      producedQuantity\n      quantity\n      unit\n      at\n      batchId\n    }\n  }\n": types.WorkOrderProgressFeedDocument,
    "\n  query Search($text: String!) {\n    search(text: $text, first: 20) {\n      id\n      label\n      title\n    }\n  }\n": types.SearchDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ForesightStatus {\n    foresight {\n      state\n      modelVersion\n      progress\n      message\n      startedAt\n      finishedAt\n    }\n  }\n"): (typeof documents)["\n  query ForesightStatus {\n    foresight {\n      state\n      modelVersion\n      progress\n      message\n      startedAt\n      finishedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MachineStatesSnapshot($after: String) {\n    machines(first: 500, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        state\n        stateAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query MachineStatesSnapshot($after: String) {\n    machines(first: 500, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        state\n        stateAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MachineStateFeed {\n    machineStateChanged {\n      machineId\n      state\n      previousState\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription MachineStateFeed {\n    machineStateChanged {\n      machineId\n      state\n      previousState\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription QualityEventFeed {\n    qualityEvents {\n      id\n      kind\n      severity\n      occurredAt\n      description\n      subjectIds\n    }\n  }\n"): (typeof documents)["\n  subscription QualityEventFeed {\n    qualityEvents {\n      id\n      kind\n      severity\n      occurredAt\n      description\n      subjectIds\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RiskAlertsSnapshot {\n    riskAlerts(first: 500, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      nodes {\n        id\n        severity\n        message\n        createdAt\n        acknowledged\n        kind\n        probability\n        horizonH\n        closedAt\n        about {\n          id\n          label\n        }\n        salesOrders {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RiskAlertsSnapshot {\n    riskAlerts(first: 500, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      nodes {\n        id\n        severity\n        message\n        createdAt\n        acknowledged\n        kind\n        probability\n        horizonH\n        closedAt\n        about {\n          id\n          label\n        }\n        salesOrders {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RiskAlertFeed {\n    riskAlerts {\n      id\n      severity\n      message\n      createdAt\n      acknowledged\n      kind\n      probability\n      horizonH\n      closedAt\n      aboutIds\n      affectedSalesOrderIds\n    }\n  }\n"): (typeof documents)["\n  subscription RiskAlertFeed {\n    riskAlerts {\n      id\n      severity\n      message\n      createdAt\n      acknowledged\n      kind\n      probability\n      horizonH\n      closedAt\n      aboutIds\n      affectedSalesOrderIds\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WorkOrderProgressFeed {\n    workOrderProgress {\n      workOrderId\n      status\n      producedQuantity\n      quantity\n      unit\n      at\n      batchId\n    }\n  }\n"): (typeof documents)["\n  subscription WorkOrderProgressFeed {\n    workOrderProgress {\n      workOrderId\n      status\n      producedQuantity\n      quantity\n      unit\n      at\n      batchId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Search($text: String!) {\n    search(text: $text, first: 20) {\n      id\n      label\n      title\n    }\n  }\n"): (typeof documents)["\n  query Search($text: String!) {\n    search(text: $text, first: 20) {\n      id\n      label\n      title\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;