"""The domain model: pydantic types for every node and relationship of the plant graph.

It knows nothing about the database or GraphQL; `graph/` translates it to and from rows.
"""
