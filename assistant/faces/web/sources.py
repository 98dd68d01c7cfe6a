"""The sources panel as the page shows it: the answer's citations, and the whole text of each cited article
folded under them (read from the index when the answer is shown, and kept with the conversation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...records.answer import Answer
from ..render import sources_html

if TYPE_CHECKING:
    from ...core import Assistant


def shown_sources(bot: Assistant, answer: Answer | None) -> str:
    if answer is None:
        return sources_html(None)
    cited = dict.fromkeys(c.article_id for c in answer.citations)
    return sources_html(answer, {i: text for i in cited if (text := bot.article_text(i))})
