"""Big 10 export scenario explorer: the pure engine package (never imports Streamlit).

Layers, each importing only those before it: registry (levers, presets, targets, the string
catalog) -> data (one Dataset per data folder) -> model (projection to Outcome) -> words
(sentences, tables, charts, downloads) -> cli (python -m scenarios).
"""
