"""One error type per layer, each with a message a staff member can act on.

The CLI maps every `JixiaoError` to exit code 2 and a one-line message; the TUI to a notification.
"""

from __future__ import annotations


class JixiaoError(Exception):
    """Base of every error jixiao reports to a user (not a bug)."""


class ConfigError(JixiaoError):
    """Bad configuration: a config file field, an environment variable, a path."""


class IngestError(JixiaoError):
    """A document could not be read: missing, unreadable, binary, too large, wrong encoding."""


class IndexError_(JixiaoError):
    """The retrieval index is missing, stale or could not be written."""


class DraftError(JixiaoError):
    """A draft cannot be written (figures, templates, output); re-exported by assistant.drafting."""


class ScoringError(JixiaoError):
    """A rule or its inputs are invalid (unknown rule, missing field, out-of-range figure)."""


class BackendUnavailable(IndexError_):
    """The search server (Milvus) cannot be reached, or its local file is held by another process."""


class IndexModelMismatch(IndexError_):
    """The search collection was built with another embedding model (name, weights or dimension)."""
