"""Foresight: an operations simulator with ground truth, the graph model, scoring, alerts."""
