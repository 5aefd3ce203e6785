"""The model: projection, 5/5/5 links, nowcast, calibration, uncertainty, what it would take, the Outcome."""
