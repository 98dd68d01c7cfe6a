"""Turn answers into what the page shows. Article text is untrusted: every piece of it is escaped here."""

from __future__ import annotations

import html
import re
from datetime import datetime
from urllib.parse import urlparse

from .types import Answer, Citation, Passage

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|~>$])")


def counted(n: int, noun: str) -> str:
    """'**1** article', '**5** articles'."""
    return f"**{n}** {noun}{'' if n == 1 else 's'}"


def local_time(stamp: str | None) -> str:
    """An ISO UTC stamp ('2026-11-26T12:58:07.123456+00:00') as this machine's local time, to the minute."""
    if not stamp:
        return "never"
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def chat_text(text: str) -> str:
    """Show text literally in a Markdown chat bubble: no markup, no HTML, no links, no maths."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def chat_status(message: str) -> str:
    """A status line while the answer is being made ("Reading 5 passages…")."""
    return f"*{chat_text(message)}…*"


def chat_answer(answer: Answer) -> str:
    """The answer for a chat bubble: the short answer first, in bold, then the cited sentences."""
    short = answer.short_answer
    body = short.body_of(answer.text) if short else None
    parts = [f"**{chat_text(short.text)}**: {chat_text(body)}" if body is not None else chat_text(answer.text)]
    if answer.note:
        parts.append(f"*{chat_text(answer.note)}*")
    if answer.unverified:
        unsupported = "; ".join(chat_text(s) for s in answer.unverified)
        parts.append(f"*Not supported by the cited passages: {unsupported}*")
    return "\n\n".join(parts)


def _link(url: str | None, label: str) -> str:
    if url and urlparse(url).scheme in ("http", "https"):
        return (f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer nofollow">'
                f"{html.escape(label)}</a>")
    return html.escape(label)


def _meta_line(date: str | None, publisher: str | None, article_id: str, url: str | None,
               page: int | None = None) -> str:
    items = [html.escape(x) for x in (date, publisher) if x]
    items.append(_link(url, url or article_id))
    if page:
        items.append(f"page {page}")
    return " · ".join(items)


def _highlighted(citation: Citation) -> str:
    """The passage with the quoted sentence marked, both escaped."""
    start = citation.start - citation.passage_start
    end = citation.end - citation.passage_start
    passage = citation.passage
    if not passage or not (0 <= start <= end <= len(passage)) or passage[start:end] != citation.quote:
        return f"<mark>{html.escape(citation.quote)}</mark>"
    return (html.escape(passage[:start]) + "<mark>" + html.escape(passage[start:end]) + "</mark>"
            + html.escape(passage[end:]))


def sources_html(answer: Answer | None) -> str:
    if answer is None:
        return '<div class="sources-empty">Sources of the answer appear here.</div>'
    blocks = []
    for c in answer.citations:
        flag = "" if c.verified else ' <span class="unverified">unverified</span>'
        blocks.append(
            f'<div class="source" data-n="{c.n}"><div class="source-head"><b>[{c.n}]</b> '
            f'<span class="source-title">{html.escape(c.title)}</span>{flag}</div>'
            f'<div class="source-meta">{_meta_line(c.date, c.publisher, c.article_id, c.url, c.page)}'
            f" · score {c.score:.2f}</div>"
            f'<blockquote class="source-passage">{_highlighted(c)}</blockquote></div>'
        )
    if not answer.citations:
        blocks.append('<div class="sources-empty">No passage answers this question.</div>')
    cited = {(c.article_id, c.passage_start) for c in answer.citations}
    others = [p for p in answer.passages if (p.article_id, p.start) not in cited]
    if others:
        blocks.append(f"<details><summary>{len(others)} other retrieved passage(s)</summary>"
                      + "".join(_passage_html(p) for p in others) + "</details>")
    return '<div class="sources">' + "".join(blocks) + "</div>"


def _passage_html(p: Passage) -> str:
    return (f'<div class="source other"><div class="source-head"><span class="source-title">{html.escape(p.title)}'
            f'</span></div><div class="source-meta">{_meta_line(p.date, p.source, p.article_id, p.url)}'
            f" · score {p.score:.3f}</div><blockquote>{html.escape(p.text)}</blockquote></div>")


CSS = """
.sources .source { border-left: 3px solid #6b8afd; padding: 4px 10px; margin: 8px 0; }
.sources .source.other { border-left-color: #bbb; }
.sources .source-meta { font-size: 0.85em; opacity: 0.8; }
.sources blockquote { margin: 6px 0; white-space: pre-wrap; }
.sources mark { background: #fff3a3; color: #1a1a1a; padding: 0 2px; }  /* dark text: readable in dark mode too */
.dark .sources mark { background: #7a6a00; color: #fff; }
.sources .unverified { color: #b00; font-size: 0.8em; border: 1px solid #b00; border-radius: 3px; padding: 0 3px; }
"""
