import { graphql } from "../../gql";

/** Every OEE ratio with the times and counts it is made of (ISO 22400-2, OeeMeasures). */
export const OeeMeasuresFields = graphql(`
  fragment OeeFigures on OeeMeasures {
    availability
    performance
    quality
    oee
    plannedBusyTimeS
    actualProductionTimeS
    idleTimeS
    downTimeS
    unknownTimeS
    goodCount
    scrapCount
    producedCount
    idealProductionTimeS
  }
`);
