"""What the page shows about the index: the status line, the Articles table and the source filter's choices."""

from __future__ import annotations

from .core import Assistant
from .render import counted, local_time


def status_markdown(bot: Assistant) -> str:
    s = bot.status()
    agree = "consistent" if s.consistent else "**manifest and store disagree: run an update**"
    return (f"{counted(s.articles, 'article')} · {counted(s.chunks, 'passage')} · model `{s.model}` · "
            f"last update {local_time(s.last_update)} · {agree}")


def article_rows(bot: Assistant) -> list[list]:
    return [[a["title"], a.get("date") or "", a["chunks"], a["id"]] for a in bot.articles()]


def source_choices(bot: Assistant) -> list[str]:
    articles = bot.articles()
    return sorted({a["source"] for a in articles if a.get("source")} | {a["id"] for a in articles})
