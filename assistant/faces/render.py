"""Turn answers into what the page shows. Article text is untrusted: every piece of it is escaped here."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from urllib.parse import urlparse

from ..records.answer import CITATION_MARKER, Answer, Citation
from ..records.article import Carrier, Passage
from ..records.dates import day_label, window_label
from ..records.reports import counted as counted_plain

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|~>$])")
AUTOLINK = re.compile(r":(?=//)|(?<=\bwww)\.|@", re.IGNORECASE)  # what makes a bare URL or e-mail a link
MARKDOWN_LIVE = re.compile(r"([\\<\[\]])")  # what opens HTML, a link or an image in Markdown


def counted(n: int, noun: str) -> str:
    """'**1** article', '**5** articles'."""
    return f"**{n}** {noun}{'' if n == 1 else 's'}"


def chat_text(text: str) -> str:
    """Show text literally in a Markdown chat bubble: no markup, no HTML, no links, no maths."""
    return AUTOLINK.sub(r"\\\g<0>", MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)))


def typed_text(shown: str) -> str:
    """What was typed, from a bubble :func:`chat_text` made (an edited question comes back as shown)."""
    return html.unescape(re.sub(r"\\(.)", r"\1", shown))


def markdown_safe(text: str) -> str:
    """Text that stays text in a Markdown client (no HTML, no link, no image) but reads as it is
    elsewhere: only ``\\ < [ ]`` are escaped, and the answer's ``[n]`` markers are kept."""
    out = []
    for i, piece in enumerate(CITATION_MARKER.split(text)):  # text, marker numbers, text, …
        if i % 2:
            out.append(f"[{piece}]")
        else:  # a "(" right after a kept marker would make it a link: "[1](http://…)"
            escaped = MARKDOWN_LIVE.sub(r"\\\1", piece)
            out.append("\\" + escaped if i and piece.startswith("(") else escaped)
    return "".join(out)


def sources_text(answer: Answer) -> str:
    """Everything but the answer text, as plain lines: how current, note, unsupported sentences, sources."""
    lines = ([answer.coverage.line()] if answer.coverage else []) + [d.line() for d in answer.disagreements]
    if answer.note:
        lines.append(f"({answer.note})")
    if answer.unverified:
        lines.append("Not supported by the cited passages: " + " | ".join(answer.unverified))
    for c in answer.citations:
        where = " · ".join(x for x in (c.date, c.publisher, c.url or c.article_id, c.page and f"p. {c.page}") if x)
        flag = "" if c.verified else " [unverified]"
        lines.append(f"\n[{c.n}] {c.title} ({where}){flag}\n    “{c.quote}”")
        if c.dates:
            lines.append(f"    ({dates_said(c)})")
        if c.carried_by:
            lines.append(f"    ({carried_by_said(c)})")
    return "\n".join(lines)


def carried_by_said(citation: Citation, label=lambda carrier, name: name) -> str:
    """'also carried by Northern Wire, 12 Dec 2024', or by N outlets: the story's other versions; ``label``
    dresses each name (a link on the page)."""
    named = [label(c, ", ".join(filter(None, (c.source or c.title, c.date and day_label(c.date)))))
             for c in citation.carried_by]
    return (f"also carried by {named[0]}" if len(named) == 1
            else f"also carried by {len(named)} outlets: {'; '.join(named)}")


def dates_said(citation: Citation) -> str:
    """'on Monday evening: 9 Dec 2024; last week: 2–8 Dec 2024': the quote's relative dates, dated."""
    return "; ".join(f"{d.text}: {window_label(d.since, d.until)}" for d in citation.dates)


def sources_markdown(answer: Answer) -> str:
    """The Sources list of an API answer: reads as plain text, renders as Markdown, article text escaped."""
    blocks = []
    for c in answer.citations:
        url = c.url if c.url and urlparse(c.url).scheme in ("http", "https") else None
        where = ", ".join(markdown_safe(x) for x in (c.date, c.publisher, url or c.article_id) if x)
        page = f", p. {c.page}" if c.page else ""
        flag = " (unverified)" if not c.verified else ""
        carried = f"\n({markdown_safe(carried_by_said(c))})" if c.carried_by else ""
        blocks.append(f"[{c.n}] {markdown_safe(c.title)} ({where}{page}){flag}\n> “{markdown_safe(c.quote)}”{carried}")
    return "Sources:\n\n" + "\n\n".join(blocks) if blocks else ""


def answer_markdown(answer: Answer) -> str:
    """A whole API answer: its text with the [n] markers, then :func:`after_answer_markdown`."""
    return markdown_safe(answer.text).replace("\n", "  \n") + after_answer_markdown(answer)  # kept line breaks


def after_answer_markdown(answer: Answer) -> str:
    """What follows an API answer's text (also after a streamed text): how current it is, any note, the
    sentences no passage supports, then the Sources list; each part after a blank line."""
    parts = [markdown_safe(answer.coverage.line()) if answer.coverage else "",
             *(markdown_safe(d.line()) for d in answer.disagreements),
             f"({markdown_safe(answer.note)})" if answer.note else "",
             "Not supported by the cited passages: " + " | ".join(map(markdown_safe, answer.unverified))
             if answer.unverified else "", sources_markdown(answer)]
    return "".join(f"\n\n{part}" for part in parts if part)


class MarkdownStream:
    """:func:`markdown_safe` for text that arrives in pieces: a "[" near the end is held back until its
    marker ("[12]") is complete, so that markers split across pieces are kept whole."""

    HOLD = 16

    def __init__(self) -> None:
        self._pending = ""

    def feed(self, text: str) -> str:
        self._pending += text
        cut = self._pending.rfind("[")
        if cut < 0 or len(self._pending) - cut > self.HOLD:
            cut = len(self._pending)
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        return markdown_safe(ready)

    def flush(self) -> str:
        ready, self._pending = self._pending, ""
        return markdown_safe(ready)


def chat_cited(text: str) -> str:
    """:func:`chat_text`, but each ``[n]`` marker is a link to its source (``#source-n``), which the page
    shows and highlights instead of following."""
    out = []
    for i, piece in enumerate(CITATION_MARKER.split(text)):  # text, marker numbers, text, …
        if i % 2:
            numbers = [n for n in re.split(r"\s*[,;]\s*", piece.strip()) if n]
            out.append("".join(f"[\\[{n}\\]](#source-{n})" for n in numbers))  # "[1, 2]" -> [1][2]
        else:
            out.append(chat_text(piece))
    return "".join(out)


def chat_status(message: str) -> str:
    """A status line while the answer is being made ("Reading 5 passages…")."""
    return f"*{chat_text(message)}…*"


def chat_answer(answer: Answer) -> str:
    """The answer for a chat bubble: the short answer first, in bold, then the cited sentences."""
    short = answer.short_answer
    body = short.body_of(answer.text) if short else None
    parts = [f"**{chat_text(short.text)}**: {chat_cited(body)}" if short is not None and body is not None
             else "\n\n".join(map(chat_cited, answer.text.splitlines()))]  # a timeline: an event a line
    if answer.coverage:
        parts.append(f"*{chat_text(answer.coverage.line())}*")
    parts += [f"*{chat_text(d.line())}*" for d in answer.disagreements]
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


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())


def sources_html(answer: Answer | None, whole: Mapping[str, str] | None = None) -> str:
    """The sources panel: each citation's passage with the quote marked; ``whole``: the cited articles' whole
    texts by id, each shown folded under its citation (article text escaped, never run)."""
    if answer is None:
        return '<div class="sources-empty">Sources of the answer appear here.</div>'
    whole = whole or {}
    blocks = []
    for c in answer.citations:
        flag = "" if c.verified else ' <span class="unverified">unverified</span>'
        scored = "" if answer.briefing else (  # a briefing's leads are listed, not scored against a question
            ' · <span title="how well the quoted sentence answers the question; higher is better">answer score '
            f"{c.score:.2f}</span>")
        blocks.append(
            f'<div class="source" data-n="{c.n}"><div class="source-head"><b>[{c.n}]</b> '
            f'<span class="source-title">{html.escape(c.title)}</span>{flag}</div>'
            f'<div class="source-meta">{_meta_line(c.date, c.publisher, c.article_id, c.url, c.page)}{scored}</div>'
            f'<blockquote class="source-passage">{_highlighted(c)}</blockquote>'
            + (f'<div class="source-dates">{html.escape(dates_said(c))}</div>' if c.dates else "")
            + (f'<div class="source-carried">{carried_by_said(c, _linked_carrier)}</div>' if c.carried_by else "")
            + (f'<details class="source-article"><summary>Whole article</summary>{_paragraphs(whole[c.article_id])}'
               "</details>" if whole.get(c.article_id) else "")
            + "</div>"
        )
    if not answer.citations:
        blocks.append('<div class="sources-empty">No passage answers this question.</div>')
    cited = {(c.article_id, c.passage_start) for c in answer.citations}
    others = [p for p in answer.passages if (p.article_id, p.start) not in cited]
    if others:
        blocks.append(f"<details><summary>{counted_plain(len(others), 'other retrieved passage')}</summary>"
                      + "".join(_passage_html(p) for p in others) + "</details>")
    return '<div class="sources">' + "".join(blocks) + "</div>"


def _linked_carrier(carrier: Carrier, name: str) -> str:
    return _link(carrier.url, name)


def _passage_html(p: Passage) -> str:
    return (f'<div class="source other"><div class="source-head"><span class="source-title">{html.escape(p.title)}'
            f'</span></div><div class="source-meta">{_meta_line(p.date, p.source, p.article_id, p.url)}'
            f' · <span title="keyword and meaning ranks fused: only the order counts">rank score {p.score:.3f}'
            f"</span></div><blockquote>{html.escape(p.text)}</blockquote></div>")
