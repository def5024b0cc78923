"""Benchmarks: the graph's genealogy traces against PostgreSQL and in-memory baselines."""
