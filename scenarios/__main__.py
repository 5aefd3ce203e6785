"""python -m scenarios: the command line (scenarios.cli.main)."""

from scenarios.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
