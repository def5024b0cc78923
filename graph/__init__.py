"""The graph store: server lifecycle, adapters, dialect, migrations and every Cypher query."""
