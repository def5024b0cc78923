"""Machine-failure features from the AI4I 2020 failure mechanisms, shared by the real-data
evaluation and the live model so both read a machine the same way.

The AI4I 2020 data set (Matzka, "Explainable Artificial Intelligence for Predictive
Maintenance Applications", AI4I 2020) documents how its failures arise from the process
physics: heat dissipation fails when the air-process temperature difference is below 8.6 K
*and* the speed below 1,380 rpm; power fails when torque x angular speed leaves the
[3,500, 9,000] W band; overstrain when tool wear x torque exceeds 11,000 / 12,000 / 13,000
min·Nm for product quality L / M / H; tool wear fails at a random wear between 200 and
240 min. Those thresholds are published facts of the machine, known before any label is
seen, so margins to them are features, not label leakage: they are computed from the five
sensor readings and the product quality alone, never from the failure or its mode flags
(TWF/HDF/PWF/OSF/RNF). Our simulator uses the same mechanisms, so the live plant's
machines get the same columns.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

HDF_TEMP_DIFF_K = 8.6
HDF_SPEED_RPM = 1380.0
POWER_BAND_W = (3500.0, 9000.0)
OVERSTRAIN_LIMIT_MIN_NM = {"L": 11000.0, "M": 12000.0, "H": 13000.0}
TOOL_WEAR_WINDOW_MIN = (200.0, 240.0)
QUALITY_CODE = {"L": 0.0, "M": 1.0, "H": 2.0}
"""Product quality as an ordinal (L < M < H), as the data set orders it."""

_HDF_SPEED_SCALE_RPM = 100.0
"""rpm counted as one kelvin when the two heat-dissipation margins are compared."""

RAW_FEATURES = (
    "quality",
    "air_temp_k",
    "process_temp_k",
    "speed_rpm",
    "torque_nm",
    "tool_wear_min",
)
"""The six readings as measured (quality as its ordinal code)."""

PHYSICS_FEATURES = (
    *RAW_FEATURES,
    "temp_diff_k",
    "power_w",
    "wear_torque_min_nm",
)
"""The reference set: raw readings plus temperature difference, power and wear x torque."""

MACHINE_FAILURE_FEATURES = (
    *PHYSICS_FEATURES,
    "power_band_margin_w",
    "overstrain_margin_min_nm",
    "overstrain_ratio",
    "hdf_temp_margin_k",
    "hdf_speed_margin_rpm",
    "hdf_margin",
    "tool_wear_margin_min",
    "hdf_condition",
    "power_out_of_band",
    "overstrain_exceeded",
    "tool_wear_in_window",
)
"""Every column `machine_failure_features` returns, in order.

Margins are signed so that a negative power/heat margin or a positive overstrain/wear
margin means the mechanism's failure condition holds; the last four are those conditions
as 0/1 indicators.
"""


def machine_failure_features(
    *,
    air_temp_k: npt.ArrayLike,
    process_temp_k: npt.ArrayLike,
    speed_rpm: npt.ArrayLike,
    torque_nm: npt.ArrayLike,
    tool_wear_min: npt.ArrayLike,
    quality: Sequence[str],
) -> FloatArray:
    """float32 [n, len(MACHINE_FAILURE_FEATURES)] for n machines (or n AI4I rows).

    Readings are arrays of length n (or scalars, broadcast); `quality` is one of L/M/H
    per row. Raises ValueError for an unknown quality or mismatched lengths.
    """
    unknown = sorted({q for q in quality} - QUALITY_CODE.keys())
    if unknown:
        raise ValueError(f"product quality must be one of L/M/H, got {unknown}")
    n = len(quality)
    air = _column(air_temp_k, n, "air_temp_k")
    process = _column(process_temp_k, n, "process_temp_k")
    speed = _column(speed_rpm, n, "speed_rpm")
    torque = _column(torque_nm, n, "torque_nm")
    wear = _column(tool_wear_min, n, "tool_wear_min")
    code = np.array([QUALITY_CODE[q] for q in quality], dtype=np.float64)
    limit = np.array([OVERSTRAIN_LIMIT_MIN_NM[q] for q in quality], dtype=np.float64)

    temp_diff = process - air
    power = torque * speed * (2.0 * math.pi / 60.0)
    wear_torque = wear * torque
    low, high = POWER_BAND_W
    power_margin = np.minimum(power - low, high - power)
    overstrain_margin = wear_torque - limit
    hdf_temp = temp_diff - HDF_TEMP_DIFF_K
    hdf_speed = speed - HDF_SPEED_RPM
    # Heat dissipation needs both conditions, so the pair's margin is the larger one.
    hdf_margin = np.maximum(hdf_temp, hdf_speed / _HDF_SPEED_SCALE_RPM)
    wear_low, wear_high = TOOL_WEAR_WINDOW_MIN
    columns = (
        code,
        air,
        process,
        speed,
        torque,
        wear,
        temp_diff,
        power,
        wear_torque,
        power_margin,
        overstrain_margin,
        wear_torque / limit,
        hdf_temp,
        hdf_speed,
        hdf_margin,
        wear - wear_low,
        (hdf_margin < 0).astype(np.float64),
        (power_margin < 0).astype(np.float64),
        (overstrain_margin > 0).astype(np.float64),
        ((wear >= wear_low) & (wear <= wear_high)).astype(np.float64),
    )
    return np.stack(columns, axis=1).astype(np.float32)


def _column(values: npt.ArrayLike, n: int, name: str) -> npt.NDArray[np.float64]:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        return np.full(n, float(array))
    if array.shape != (n,):
        raise ValueError(f"{name} has shape {array.shape}, expected ({n},)")
    return array
