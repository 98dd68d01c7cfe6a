"""Prompts as text files (``prompts/*.txt``), and the passages fenced as data inside them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import LLMError
from ...records.article import Passage
from ...settings import Settings

if TYPE_CHECKING:  # LangChain is imported only on the LLM path
    from langchain_core.messages import BaseMessage

SECTION = re.compile(r"^=== *(system|user) *===[ \t]*$", re.MULTILINE)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
FENCE_TAG = re.compile(r"<\s*(/?)\s*(passage)", re.IGNORECASE)  # "</passage>", "< /passage>", "</ passage>"
# The prompts shipped with the package: in a checkout a link to the top-level prompts/ folder, in a built
# wheel a copy of it (package data), so an installed assistant finds them from any folder.
PACKAGED_PROMPTS = Path(__file__).resolve().parent / "prompts"


@dataclass
class PromptTemplate:
    """A prompt file: ``=== system ===`` and ``=== user ===`` parts; text above the first is a note for editors."""

    system: str
    user: str

    @classmethod
    def parse(cls, text: str) -> PromptTemplate:
        parts = SECTION.split(text)
        if len(parts) == 1:
            return cls("", text.strip())
        sections = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
        return cls(sections.get("system", ""), sections.get("user", ""))

    def messages(self, **values: str) -> list[BaseMessage]:
        """Fill ``{name}`` placeholders in one pass; other braces (and braces in values) stay as written."""

        def fill(template: str) -> str:
            return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)

        from langchain_core.messages import HumanMessage, SystemMessage  # the LLM path only

        system = [SystemMessage(fill(self.system))] if self.system else []
        return [*system, HumanMessage(fill(self.user))]


def load_prompt(settings: Settings, name: str) -> PromptTemplate:
    """``prompts/<name>.txt`` from settings.prompts_dir, read on every call so edits apply at once."""
    for folder in (settings.prompts_dir, PACKAGED_PROMPTS):
        path = Path(folder) / f"{name}.txt"
        if path.is_file():
            return PromptTemplate.parse(path.read_text(encoding="utf-8"))
    raise LLMError(f"prompt template {name}.txt is missing from {settings.prompts_dir}")


def fence(passages: Sequence[Passage]) -> str:
    """Passages as numbered ``<passage>`` blocks; tags inside article text are defused so none can close one."""
    blocks = []
    for n, p in enumerate(passages, 1):
        title = " ".join(p.title.replace('"', "'").replace("<", "‹").replace(">", "›").split())
        date = f' date="{p.date}"' if p.date else ""
        body = FENCE_TAG.sub(lambda m: f"‹{m.group(1)}{m.group(2)}", p.text.strip())
        blocks.append(f'<passage n="{n}" title="{title}"{date}>\n{body}\n</passage>')
    return "\n\n".join(blocks)


def format_history(history: Sequence[str] | None) -> str:
    earlier = [" ".join(h.split()) for h in history or [] if h.strip()]
    return "".join(f"- {h}\n" for h in earlier[-6:])
