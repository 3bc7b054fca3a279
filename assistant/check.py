"""The consistency checker's public face (kept for callers of `assistant.check`); the rules live in
`assistant.checks`, one module per kind of contradiction."""

from assistant.checks import Evidence, Finding, Severity, check_corpus, check_document, verbatim
from assistant.checks.rescore import Rescore, rescore_from_text

__all__ = ["Evidence", "Finding", "Rescore", "Severity", "check_corpus", "check_document", "rescore_from_text",
           "verbatim"]
