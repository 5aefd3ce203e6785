"""Data: load and validate a data folder into one Dataset, refresh it, read the Bank of Korea's API."""
