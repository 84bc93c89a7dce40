"""The measures: SQL over a loaded extract, no Streamlit. See docs/measures.md."""

from metrics.catalog import MEASURES, get
from metrics.engine import Engine, MeasureUnavailable, NotPermitted
from metrics.filters import Filters
from metrics.settings import Settings, load_settings

__all__ = [
    "MEASURES",
    "Engine",
    "Filters",
    "MeasureUnavailable",
    "NotPermitted",
    "Settings",
    "get",
    "load_settings",
]
