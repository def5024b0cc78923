"""OPC UA: the address space machines expose, the ingest that keeps the graph's live layer true."""
