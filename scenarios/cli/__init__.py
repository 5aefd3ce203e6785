"""The command line: python -m scenarios (projection, backtest, refresh)."""
