"""Planning: MRP (material requirements), finite-capacity scheduling, what-if scenarios.

Everything under `mrp/` takes and returns plain data, so its tests need no graph.
"""
