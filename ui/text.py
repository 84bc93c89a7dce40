"""Data into Markdown: the one helper for a value from the data (or a person, a file, a URL)
shown by an element that renders Markdown.

Streamlit renders Markdown in st.markdown, st.caption, st.info/warning/error/success, titles
and headers, metric labels and values, widget labels, expander and tab labels and page-link
labels. A team name such as `[x](javascript:...)` or `![x](http://...)` would become a link or
an image there. `md(value)` backslash-escapes every ASCII punctuation character (CommonMark
shows an escaped character as itself), so links, images, HTML, emphasis, LaTeX (`$`) and
Streamlit's `:colour[...]` directives cannot form, and a line break cannot start a new block.

Prefer `st.text` or a table (`st.dataframe`) for data where the layout allows: they never render
Markdown. Use `md` for the rest: `st.caption(f"Team {md(name)}")`.
"""

from __future__ import annotations

import string

_PUNCTUATION = frozenset(string.punctuation)


# GitHub-flavoured Markdown (which Streamlit renders) also makes links of bare addresses
# ("https://x", "www.x", "a@b.c") after escapes are read, so escaping alone does not stop them:
# an invisible word joiner after "://", before the dot of "www." and after "@" does.
_JOINER = "\u2060"


def md(value: object) -> str:
    """`value` as Markdown source that renders as exactly its text, on one line (no autolink:
    see _JOINER)."""
    text = " ".join(str(value).splitlines())
    out = []
    for i, ch in enumerate(text):
        if ch == "." and text[max(0, i - 3) : i].lower() == "www":
            out.append(_JOINER)
        out.append("\\" + ch if ch in _PUNCTUATION else ch)
        if (ch == ":" and text[i + 1 : i + 3] == "//") or ch == "@":
            out.append(_JOINER)
    return "".join(out)
