"""The project's declarative tables and their readers: levers, presets, targets and the string catalog."""
