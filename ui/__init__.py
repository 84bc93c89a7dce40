"""Streamlit-only helpers the pages share: data access, filters in the URL, menu, charts, tables.

Pages stay thin: read filters, call metrics, draw. Nothing here computes a measure.
"""
