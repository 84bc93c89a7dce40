"""A person's session of the app without a browser: Streamlit's websocket protocol, spoken directly.

The browser keeps one websocket open (`/_stcore/stream`) and asks the server to run a page's
script by sending a `rerun_script` message (the page and the URL's query string); the server runs
the script and streams the page's elements back, ending with `script_finished`. `Session` does the
same, so many sessions can open pages and change filters against one server from one process:
what the server does for a person, minus the drawing in their browser (which happens on their own
computer). Used by `frontdoor bench --concurrent` (bench/concurrent.py).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

T = TypeVar("T")


def run_apart(make: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end on a new event loop in a thread of its own; its result.

    asyncio.run refuses to start inside a thread whose loop is running (Playwright's sync API
    leaves one running in the thread that used it, e.g. earlier tests of the same process), so
    the sessions get a thread and a loop nobody else holds."""
    found: dict[str, Any] = {}

    def target() -> None:
        try:
            found["result"] = asyncio.run(make)
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            found["error"] = exc

    thread = threading.Thread(target=target, name="frontdoor-sessions")
    thread.start()
    thread.join()
    if "error" in found:
        raise found["error"]
    return found["result"]


# script_finished statuses (streamlit/proto/ForwardMsg.proto).
_FINISHED = ForwardMsg.ScriptFinishedStatus
_DONE = {_FINISHED.FINISHED_SUCCESSFULLY, _FINISHED.FINISHED_WITH_COMPILE_ERROR}


@dataclass
class Run:
    """One page run as a session saw it."""

    page: str
    query: str
    seconds: float
    exceptions: int = 0  # exception elements the page drew (st.exception: a failed script)
    error: str = ""  # no answer: a timeout, a closed connection, a compile error


def page_name(page_file: str) -> str:
    """The name the browser sends for a page file: "" for the entry script, else its stem."""
    return "" if page_file == "app.py" else page_file.rsplit("/", 1)[-1].removesuffix(".py")


class Session:
    """One websocket session: `await run(page, query)` as often as wanted, then `close()`."""

    def __init__(self, base_url: str, timeout: float = 180.0):
        self.base_url = base_url
        self.timeout = timeout
        self._ws = None

    async def open(self) -> None:
        ws_url = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self._ws = await websockets.connect(
            ws_url,
            subprotocols=["streamlit"],
            origin=self.base_url,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def run(self, page_file: str, query: str = "") -> Run:
        """Ask for `page_file` with `query` (the URL's query string) and wait until its script
        has run to the end; the seconds from asking to the last element received."""
        if self._ws is None:
            await self.open()
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page_name(page_file)
        started = time.perf_counter()
        result = Run(page_file, query, 0.0)
        try:
            await self._ws.send(msg.SerializeToString())
            await asyncio.wait_for(self._until_finished(result), self.timeout)
        except TimeoutError:
            result.error = f"no answer within {self.timeout:.0f} s"
        except websockets.ConnectionClosed as exc:
            result.error = f"connection closed ({exc.code})"
            self._ws = None
        result.seconds = time.perf_counter() - started
        return result

    async def _until_finished(self, result: Run) -> None:
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self._ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                if fwd.delta.new_element.WhichOneof("type") == "exception":
                    result.exceptions += 1
            elif kind == "page_not_found":
                result.error = "page not found"
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == _FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    result.error = "compile error"
                if status in _DONE:
                    return
