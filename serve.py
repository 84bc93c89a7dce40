"""The dashboard as a server: `streamlit run serve.py` (what `make run` starts).

The same app as `streamlit run app.py` (app.py is the entry page, pages/ the others), plus a
warm-up as the server starts (`ui.warm`): the default filters' answers are computed on a
background thread, so the first person after a restart finds them ready, while the server
answers its health check at once.
"""

from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def _warm_up(_app):
    from ui.warm import warm_in_background

    warm_in_background()
    yield


app = st.App("app.py", lifespan=_warm_up)
