"""Errors the CLI turns into exit codes: 2 for usage or configuration, 1 otherwise."""

from __future__ import annotations

__all__ = ["CommandFailed", "IotIngestError", "UsageError"]


class IotIngestError(Exception):
    """Base of the errors that end a command with a one-line message."""

    exit_code = 1


class UsageError(IotIngestError):
    """The command line, a named file or the configuration is wrong: the user can fix it."""

    exit_code = 2


class CommandFailed(IotIngestError):
    """The command could not complete (database locked or unreadable, disk full, ...)."""

    exit_code = 1
