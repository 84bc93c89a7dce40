"""frontdoor: performance management for children's social care front doors."""

__version__ = "0.1.0"
