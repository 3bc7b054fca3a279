"""The Textual app: ask, read the sources, browse indicators, draft, check — in one terminal."""

from assistant.tui.app import JixiaoApp

__all__ = ["JixiaoApp"]
