"""A paragraph to quote with a copy button at its top right, without st.code.

st.code's element loads Streamlit's syntax highlighter (a 1.5 MB script) the first time a page shows one; on
the first screen that held the exports chart back by about 0.8 s of every first page load (BENCHMARKS.md,
section 9). This component of st.components.v2 (in the page itself, no iframe; the drag preview's loader is
the same) draws the text as text and copies it with the browser's clipboard.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

JS = (Path(__file__).with_name("copy_box.js")).read_text(encoding="utf-8")
COPY_ICON = ('<svg class="big10-copy-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M16 1H4a2 2 0 0 0-2 2v14h2'
             'V3h12V1zm3 4H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm0 16H8V7h11v14z"/></svg>')
DONE_ICON = ('<svg class="big10-done-icon" viewBox="0 0 24 24" aria-hidden="true">'
             '<path d="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z"/></svg>')
HTML = (f'<div class="big10-copy"><button type="button" class="big10-copy-button">{COPY_ICON}{DONE_ICON}</button>'
        '<p class="big10-copy-text"></p></div>')
# Like st.code's block: the light theme's secondary background, the button at the top right
CSS = """
.big10-copy { position: relative; background: #f0f2f6; border-radius: 0.5rem; padding: 0.75rem 2.75rem 0.75rem 1rem; }
.big10-copy-text { margin: 0; white-space: pre-wrap; word-break: keep-all; overflow-wrap: break-word;
  font-size: 0.875rem; line-height: 1.6; color: #31333F; }
.big10-copy-button { position: absolute; top: 0.4rem; right: 0.4rem; width: 2rem; height: 2rem; padding: 0.45rem;
  border: 1px solid transparent; border-radius: 0.4rem; background: transparent; color: #31333F; cursor: pointer;
  line-height: 0; }
.big10-copy-button:hover, .big10-copy-button:focus-visible { border-color: #a3a8b8; background: #ffffff; }
.big10-copy-button svg { width: 100%; height: 100%; fill: currentColor; }
.big10-copy-button .big10-done-icon, .big10-copy-button.big10-copied .big10-copy-icon { display: none; }
.big10-copy-button.big10-copied .big10-done-icon { display: inline; color: #177233; }
"""

_component = st.components.v2.component("big10_copy_box", html=HTML, css=CSS, js=JS, isolate_styles=False)


def copy_box(text: str, copy_label: str, copied_label: str, key: str) -> None:
    """The text in a box with a copy button at its top right (the button's name: copy_label, then copied_label)."""
    _component(key=key, data={"text": text, "copy": copy_label, "copied": copied_label})
