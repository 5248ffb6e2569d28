"""Synthetic EnergyPlus weather files for the climate import tests."""

from __future__ import annotations

from pathlib import Path

DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def write_epw(path: Path, *, missing_hour: int | None = None, hours: int = 8760) -> None:
    """A synthetic EPW: month m (0-based) swings from 2m to 2m + 10 °C each day, dew point 2m - 5 °C."""
    lines = ["LOCATION,Testville,ST,Nowhere,TMY3,123456,40.0,-100.0,-6.0,250.0"]
    lines += [f"HEADER{n},..." for n in range(7)]
    n = 0
    for month, days in enumerate(DAYS):
        for day in range(days):
            for hour in range(24):
                if n >= hours:
                    break
                dry = 2.0 * month + (10.0 if hour == 14 else 0.0)
                dew = 2.0 * month - 5.0
                dry_text = "99.9" if n == missing_hour else f"{dry:.1f}"
                lines.append(f"2001,{month + 1},{day + 1},{hour + 1},60,?,{dry_text},{dew:.1f},50,101325")
                n += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
