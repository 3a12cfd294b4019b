"""iot-ingest: UK Institutes of Technology announcements, from the web into DuckDB."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
