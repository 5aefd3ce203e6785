"""Streamlit pages and their shared plumbing (the only package besides app.py that imports streamlit)."""
