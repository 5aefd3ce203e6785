"""Process-wide tuning of the Streamlit server that the app controls from its script.

After every script run Streamlit calls a full `gc.collect()` while holding the
GIL (`runner.postScriptGC`); with pandas, altair, numpy and the engine loaded
that walk over every live object is the largest part of a rerun's server CPU,
and the page waits for it. Objects alive after the first complete run (modules,
the data files, the cached specs) live as long as the server, so they are moved
once into the collector's permanent generation (`gc.freeze`): later collections
walk only what the reruns create, and still free it. Reference counting frees
frozen objects as usual. The freeze is not preceded by a full collection (it
lengthened the first page load by ~65 ms), so a reference cycle the first run
left unreachable is frozen too and never freed: once per process.

Streamlit's first element of a process also asks whether it runs in a Python REPL, to print a warning
when a script is not started with `streamlit run` (`inspect.stack()`, which looks up the module of every
frame among the ~1,100 loaded ones: about 50 ms of the first page load). This app is only ever served by
`streamlit run`, so the question is marked as asked (skip_direct_run_check).
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def skip_direct_run_check() -> None:
    """Mark Streamlit's "run it with `streamlit run`" warning as given, so its REPL check is not made.

    A private flag of streamlit.delta_generator: if a later Streamlit drops it, setting it does nothing and
    the check runs as before (a slower first page load, nothing else).
    """
    import streamlit.delta_generator as dg

    dg._use_warning_has_been_displayed = True


def freeze_after_first_run() -> bool:
    """Move every object alive now into the permanent generation, once per process.

    Returns True when this call froze them (the first complete run of any session), False afterwards.
    """
    global _frozen
    with _lock:
        if _frozen:
            return False
        # No gc.collect() first: the page waits for the first run to end, and a full collection there (~65 ms)
        # plus Streamlit's own after it made the cold start longer. A cycle left by the first run stays, once.
        gc.freeze()
        _frozen = True
        return True

