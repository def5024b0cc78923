"""The foresight model: a heterogeneous GNN with a head per target, its baselines, metrics,
explanations and versioned artifacts (see hetero_gnn.py for what is predicted from what)."""
