"""Words and pictures: sentences and tables in the reader's language, chart builders and specs, downloads."""
