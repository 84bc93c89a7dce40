"""Tooling apart from the product: `frontdoor bench` and the browser helpers the tests share.

Nothing the app imports (`frontdoor`, `metrics`, `ui`, `app.py`, `pages/`) imports this package
(tests/test_layers.py checks it); `frontdoor bench` imports it only when that command runs.
Modules: `run` (the command), `sizes` (generate, load, query times per size and the sample),
`server_pages` (pages under AppTest), `browser` (a `streamlit run` server and Debian's Chromium),
`browser_pages` (pages in a browser), `pandas_check` and `notebook` (the figures pandas checks),
`machine`, `report` (Markdown), `common` (sizes, dates, pages of the measures).
"""
