"""Feature columns per node type, computed from what is known at the snapshot's instant.

`FEATURES` is the contract with the online scorer, which must compute the same columns
from the live graph. Quantities of material are in days of expected demand; times are
hours. A column ending in `_missing` is 1 where its partner is unknown (and then 0).
A lot's `found_defective_share` is its found-defective batches over the batches made from
it: a bad lot's batches are all defective, a good lot consumed beside it shares only some.
"""

from __future__ import annotations

FEATURES: dict[str, list[str]] = {
    "machine": [
        "torque_mean_8h",
        "torque_max_8h",
        "torque_last",
        "speed_mean_8h",
        "speed_min_8h",
        "speed_last",
        "air_temp_mean_8h",
        "process_temp_mean_8h",
        "process_temp_last",
        "temp_gap_mean_8h",
        "temp_gap_min_8h",
        "power_mean_8h",
        "power_max_8h",
        "power_min_8h",
        "tool_wear_last",
        "tool_wear_max_8h",
        "wear_x_torque_last",
        "busy_share_8h",
        "telemetry_missing",
        "down_now",
        "hours_since_repair",
        "hours_since_repair_missing",
        "failures_7d",
        "queue_ops",
        "queue_hours",
    ],
    "operation": [
        "seq",
        "ideal_h",
        "progress",
        "waiting",
        "running",
        "done",
        "predecessor_done",
        "hours_to_wo_planned_end",
    ],
    "work_order": [
        "slack_h",
        "hours_to_planned_end",
        "progress",
        "remaining_ops",
        "remaining_ideal_h",
        "started",
        "blocked_24h",
        "components_open",
        "tier",
        "qty_rel",
        "age_h",
    ],
    "sales_order": ["slack_h", "qty_rel", "work_orders", "age_h", "lead_h"],
    "batch": [
        "hours_since_done",
        "qc_score",
        "qc_rejected",
        "lots_consumed",
        "batches_consumed",
        "wear_at_make",
        "tier",
    ],
    "material_lot": [
        "age_h",
        "remaining_share",
        "batches_made",
        "batches_found_defective",
        "found_defective_share",
    ],
    "material": [
        "on_hand_days",
        "demand_72h_days",
        "coverage_72h",
        "on_order_days",
        "open_pos",
        "overdue_pos",
        "shortages_7d",
    ],
    "supplier": [
        "on_time_rate",
        "on_time_missing",
        "defect_rate",
        "lots_received",
        "open_pos",
        "overdue_pos",
        "mean_delay_h",
    ],
}
