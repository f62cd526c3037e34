"""healthlint: a content-consistency linter for health articles."""

__version__ = "0.1.0"
