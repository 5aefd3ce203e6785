"""Floor app (a copy of the shared latency tools' floor page): the smallest realistic Streamlit 'slider -> chart' app.

One st.slider, one small Altair line chart (10 series x 30 points) recomputed
with numpy from the slider value. Used by latency.py as the baseline of what
Streamlit itself costs on a given machine.
"""
import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

st.title("Latency floor")

freq = st.slider("Frequency", min_value=1, max_value=100, value=10)

x = np.arange(30)
series = np.arange(10)
# y[s, x] = sin(freq/10 * x / 5 + s)
y = np.sin(freq / 10.0 * x[None, :] / 5.0 + series[:, None])
df = pd.DataFrame(
    {
        "x": np.tile(x, len(series)),
        "y": y.ravel(),
        "series": np.repeat([f"s{s}" for s in series], len(x)),
    }
)

chart = (
    alt.Chart(df)
    .mark_line()
    .encode(x="x:Q", y=alt.Y("y:Q", scale=alt.Scale(domain=[-1.1, 1.1])), color="series:N")
    .properties(height=300)
)
st.altair_chart(chart, width="stretch")
st.caption(f"freq={freq}")
