"""The app with the fan charts switched off by default: the comparison point for their cost in the browser.

Used only by bench/latency_compare.py; a link's own `ranges=` still wins.
"""

import runpy
from pathlib import Path

import streamlit as st

if "ranges" not in st.query_params:
    st.query_params["ranges"] = "0"
runpy.run_path(str(Path(__file__).resolve().parent.parent / "app.py"), run_name="__main__")
