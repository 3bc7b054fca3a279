"""`draft --polish`: a language model smooths each templated paragraph of a draft; a polished
paragraph replaces the original only if it carries exactly the original's numbers, as a multiset and
as printed (so the draft's ledger still finds every number it placed), quotes nothing new and stays
one paragraph. Headings, lists and tables are left as they are. Prompts: prompts_templates/llm/polish*.j2.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.drafting import Draft, DraftSection
from assistant.ingest.patterns import squash
from assistant.llm.client import ChatClient, LLMError, Message
from assistant.llm.guard import Verdict, check_paragraph, clean_reply
from assistant.llm.numbers import quantities
from assistant.templating import render

Progress = Callable[[int, int], None]
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class PolishNote:
    section: str
    paragraph: int  # 1-based, among the section's blocks
    polished: bool
    problems: list[str] = field(default_factory=list)


def polishable(block: str) -> bool:
    text = block.strip()
    return bool(text) and not text.startswith(("#", "-", "*", "|", ">")) and bool(_CJK.search(text))


def _printed(text: str) -> Counter[str]:
    return Counter(squash(q.text) for q in quantities(text))


def check(original: str, polished: str) -> Verdict:
    """The guard, plus: every number printed as the original printed it (100.00% stays 100.00%)."""
    verdict = check_paragraph(original, polished)
    if verdict.ok and _printed(original) != _printed(polished):
        changed = sorted((_printed(original) - _printed(polished)).elements())
        verdict = Verdict(False, [f"改变了数字写法（{'、'.join(changed)}）"])
    return verdict


def polish_paragraph(client: ChatClient, paragraph: str, section: str = "",
                     user_dir: Path | None = None) -> tuple[str, Verdict]:
    """The polished paragraph and the verdict; the original where the guard rejects the model's."""
    msgs = [Message("system", render("llm/polish_system.j2", user_dir)),
            Message("user", render("llm/polish.j2", user_dir, paragraph=paragraph.strip(), section=section))]
    reply = clean_reply(client.chat(msgs, max_tokens=max(256, len(paragraph) * 3), temperature=0.3))
    if "\n\n" not in reply:  # a wrapped line is still one paragraph
        reply = re.sub(r"\s*\n\s*", "", reply)
    verdict = check(paragraph, reply)
    return (reply if verdict.ok else paragraph.strip()), verdict


def polish_draft(draft: Draft, client: ChatClient, user_dir: Path | None = None,
                 progress: Progress | None = None) -> tuple[Draft, list[PolishNote]]:
    """Every polishable paragraph offered to the model once. When the endpoint fails, the rest of
    the draft is left as it was (and each paragraph says so)."""
    notes: list[PolishNote] = []
    total = sum(polishable(b) for s in draft.sections for b in s.markdown.split("\n\n"))
    done = 0
    failure: str | None = None
    sections: list[DraftSection] = []
    for s in draft.sections:
        blocks = s.markdown.strip().split("\n\n")
        for i, block in enumerate(blocks):
            if not polishable(block):
                continue
            if failure is None:
                try:
                    text, verdict = polish_paragraph(client, block, s.name, user_dir)
                    blocks[i] = text
                    notes.append(PolishNote(s.name, i + 1, verdict.ok, verdict.problems))
                except LLMError as exc:
                    failure = str(exc)
            if failure is not None:
                notes.append(PolishNote(s.name, i + 1, False, [f"未润色：{failure}"]))
            done += 1
            if progress:
                progress(done, total)
        sections.append(replace(s, markdown="\n\n".join(blocks) + "\n"))
    return Draft(title=draft.title, sections=sections), notes
