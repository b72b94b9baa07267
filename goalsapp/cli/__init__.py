"""The command line: flask init-db, import, export, copy-year, check, backup."""
