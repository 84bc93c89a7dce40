"""The machine a bench ran on: CPU, cores, memory, versions and how busy it was."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

# -- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """CPU model, cores, RAM and the versions that matter for the timings."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "DuckDB": duckdb.__version__,
        "pandas": pd.__version__,
        "numpy": np.__version__,
        # Other work on the machine slows every timing: say how busy it was.
        "load average at start": _load_average(),
    }


def _load_average() -> str:
    try:
        return "{:.1f} / {:.1f} / {:.1f} (1/5/15 min)".format(*os.getloadavg())
    except OSError:
        return "unknown"
