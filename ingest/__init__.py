"""Getting data into the graph: the demo plant generator and seeding (OPC UA and ERP import later).

Everything here writes through `graph/` (bulk loader, upserts); no Cypher lives in `ingest/`.
"""
