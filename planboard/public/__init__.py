"""The public progress page: what governance has published, in plain English, for anyone."""
