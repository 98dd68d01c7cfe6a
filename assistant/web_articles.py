"""What the page shows about the index: the status line, the Articles table and the source filter's choices."""

from __future__ import annotations

from .core import Assistant
from .render import counted, local_time


def status_markdown(bot: Assistant) -> str:
    s = bot.status()
    agree = "consistent" if s.consistent else "**manifest and store disagree: run an update**"
    return (f"{counted(s.articles, 'article')} · {counted(s.chunks, 'passage')} · model `{s.model}` · "
            f"last update {local_time(s.last_update)} · {agree}")


ARTICLE_HEADERS = ["Title", "Date", "Source", "Passages", "File", "Same story as"]


def article_rows(bot: Assistant) -> list[list]:
    """One row an article; the versions of one story (wire copy, the same release) stand together, the
    later ones naming the first."""
    articles = bot.articles()
    title = {a["id"]: a["title"] for a in articles}
    grouped = sorted(articles, key=lambda a: (a["story"], a["story"] != a["id"], a.get("date") or "", a["id"]))
    return [[a["title"], a.get("date") or "", a.get("source") or "", a["chunks"], a["id"],
             "" if a["story"] == a["id"] else f"{title.get(a['story'], a['story'])} ({a['story']})"]
            for a in grouped]


def source_choices(bot: Assistant) -> list[str]:
    articles = bot.articles()
    return sorted({a["source"] for a in articles if a.get("source")} | {a["id"] for a in articles})
