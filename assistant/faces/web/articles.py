"""The Articles tab: the status line, the table, uploads and updates, and the source filter's choices."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import gradio as gr

from ...core import Assistant
from ...errors import UploadError
from ...records.dates import local_time
from ..render import chat_text, counted
from ..server.served_index import update_events

log = logging.getLogger(__name__)
LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}  # where the index's owner asks from


def status_markdown(bot: Assistant) -> str:
    s = bot.status()
    agree = "consistent" if s.consistent else "**manifest and store disagree: run an update**"
    return (f"{counted(s.articles, 'article')} · {counted(s.chunks, 'passage')} · model `{s.model}` · "
            f"last update {local_time(s.last_update)} · {agree}")


ARTICLE_HEADERS = ["Title", "Date", "Source", "Passages", "File", "Same story as"]
# In pixels, long cells wrapping: at 1280 px every column shows; on a phone the table scrolls sideways
# (widths in % of a 326 px table wrapped each letter onto its own line).
ARTICLE_WIDTHS: list[str | int] = ["330px", "110px", "150px", "90px", "220px", "240px"]


def article_rows(bot: Assistant) -> list[list]:
    """One row an article; the versions of one story (wire copy, the same release) stand together, the
    later ones naming the first."""
    articles = bot.articles()
    title = {a["id"]: a["title"] for a in articles}
    grouped = sorted(articles, key=lambda a: (a["story"], a["story"] != a["id"], a.get("date") or "", a["id"]))
    return [[a["title"], a.get("date") or "", a.get("source") or "", a["chunks"], a["id"],
             "" if a["story"] == a["id"] else title.get(a["story"], a["story"])]
            for a in grouped]


SEED_EXAMPLES = ["Who confirmed the Palmyra attack?", "Where did the coalition strikes originate?",
                 "What did Donald Trump vow?"]
SEED_ARTICLE = "coalition-strikes-syria.txt"
EXAMPLE_COUNT = 3


def example_questions(bot: Assistant) -> list[str]:
    """The examples under the chat, from the articles indexed now: the seed's questions while the seed
    article is there, else a question on each of the newest stories ("What is the latest on “…”?")."""
    articles = bot.articles()
    if any(a["id"] == SEED_ARTICLE for a in articles):
        return SEED_EXAMPLES
    stories = [a for a in articles if a["story"] == a["id"]]  # one question a story, not one per outlet
    newest = sorted(stories, key=lambda a: (a.get("date") or "", a["id"]), reverse=True)[:EXAMPLE_COUNT]
    return [f"What is the latest on “{a['title']}”?" for a in newest]


def source_choices(bot: Assistant) -> list[tuple[str, str]]:
    """(label, value) pairs: the publishers, then each article that names none, by its title (its value is
    its path, which the filter matches): a list of names a reader knows, not of file paths."""
    articles = bot.articles()
    publishers = sorted({a["source"] for a in articles if a.get("source")})
    unnamed = sorted(((f"{a['title']} (article)", a["id"]) for a in articles if not a.get("source")),
                     key=lambda pair: pair[0].casefold())
    return [(name, name) for name in publishers] + unnamed


class ArticlesPage:
    """Handlers of the Articles tab and of the index's state on the page; each calls the façade."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot

    def upload(self, files: list[str] | None, progress=gr.Progress()) -> tuple[str, None]:  # noqa: B008
        """Save the files, then (setting index_uploads, on by default) index them at once."""
        messages = []
        for path in files or []:
            name = Path(path).name
            try:
                stored = self.bot.add_file(name, Path(path).read_bytes())
                messages.append(f"{'Saved' if stored.changed else 'Not saved'}: {chat_text(stored.message)}")
            except (UploadError, OSError) as error:
                messages.append(f"**Rejected:** {chat_text(str(error))}")
        if any(m.startswith("Saved:") for m in messages):
            if self.bot.settings.index_uploads:
                messages.append(self.update(progress)[0])
            else:
                messages.append("Press **Update index** to make the new articles searchable.")
        return "\n\n".join(messages), None

    def update_api(self, full: bool = False, request: gr.Request | None = None) -> Iterator[dict]:
        """API for `assistant index` in another process: progress events, then {"report": …}. ``full`` must be
        a real boolean, and a full rebuild (every article embedded again, answers thin while it runs) is
        taken only from this machine, where the index's owner runs `assistant index --full`."""
        if not isinstance(full, bool):
            yield {"error": f"full must be true or false, not {full!r}"}
            return
        host = getattr(getattr(request, "client", None), "host", None)
        if full and request is not None and host not in LOCAL_HOSTS:  # None: called in this process
            yield {"error": f"a full rebuild is asked from this machine only (`assistant index --full`), not {host}"}
            return
        yield from update_events(self.bot, full)

    def refresh(self):
        return status_markdown(self.bot), article_rows(self.bot)

    def sources(self):
        """The source filter's choices as the index has them now (uploads, the watcher, other processes)."""
        return gr.update(choices=source_choices(self.bot))

    def opened(self):
        """What a page shows when it is (re)loaded: the index now, not as it was when the server started."""
        return *self.refresh(), self.sources()

    def update(self, progress=gr.Progress()):  # noqa: B008 - how Gradio injects a progress bar
        def report_progress(done: int, total: int, message: str) -> None:
            progress((done, max(total, 1)), desc=message)

        try:
            report = self.bot.update_index(progress=report_progress,
                                           waiting=lambda message: report_progress(0, 1, message))
        except Exception as error:
            log.exception("update failed")
            return (f"**The update failed** and the previous index was kept: {chat_text(str(error))}",
                    gr.update(), status_markdown(self.bot), gr.update())
        lines = [f"Done: {report.summary()}."]
        lines += [f"- {'Skipped' if p.skipped else 'Warning'}: {chat_text(p.reason)}" for p in report.problems]
        return ("\n".join(lines), article_rows(self.bot), status_markdown(self.bot),
                gr.update(choices=source_choices(self.bot)))
