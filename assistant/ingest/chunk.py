"""Chunk: split articles into sentences, then pack whole sentences into passages the model can read."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..errors import BadValueError
from ..records.article import Article, Chunk, Span, chunk_id_of

TokenCounter = Callable[[Sequence[str]], list[int]]

# Words that end with a period without ending the sentence ("Dr. Emily Carter", "Jan. 5").
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen lt col sgt capt cmdr adm maj rep sen gov pres rev hon fr mt
    ft no nos vs approx dept est fig al jan feb mar apr jun jul aug sep sept oct nov dec
    e.g i.e cf op""".split()
)
CANDIDATE_END = re.compile(r"[.!?…]+[\"'’”)\]]*(?=\s+[\"'‘“(\[]?[A-Z0-9])")
PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
WORD_BEFORE = re.compile(r"([\w.]+)[.]+$")
HEADING_WORDS = 14  # a line this short without a final stop is a title, dateline or byline
HEADING_END = re.compile(r"[.!?…:;,\"'’”)\]–—-]\s*$")
INITIALISM = re.compile(r"^(?:[A-Za-z]\.)*[A-Za-z]$")  # "U.S", "J", "e.g" before the final period


def _is_abbreviation(text: str, end: int) -> bool:
    """Does the period at text[end-1] close an abbreviation or initialism rather than a sentence?"""
    if text[end - 1] != ".":
        return False
    match = WORD_BEFORE.search(text[max(0, end - 20):end])
    if not match:
        return False
    word = match.group(1)
    return word.lower() in ABBREVIATIONS or bool(INITIALISM.match(word))


def looks_like_heading(line: str) -> bool:
    """Short and without a final stop: a title, a dateline or a byline rather than a sentence."""
    words = line.split()
    return bool(words) and len(words) <= HEADING_WORDS and not HEADING_END.search(line)


def _blocks(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """A paragraph cut after the heading-like lines it opens with (a title, a dateline, a byline: short,
    without a final stop, followed by a capitalised line), so that "Lantern festival postponed" does not
    run into the sentence below it. Lines further down are soft line breaks, as in hard-wrapped text."""
    blocks, first = [], start
    for line in re.finditer(r"[^\n]+", text[start:stop]):
        end = start + line.end()
        following = text[end + 1:end + 2]
        if not (end < stop and looks_like_heading(line.group()) and (following.isupper() or following.isdigit())):
            break
        blocks.append((first, end))
        first = end + 1
    blocks.append((first, stop))
    return blocks


def split_sentences(text: str) -> list[Span]:
    """Sentence spans over the whole text; never across a paragraph break or after a heading line."""
    spans: list[Span] = []
    for paragraph in PARAGRAPH.finditer(text):
        for start, stop in _blocks(text, paragraph.start(), paragraph.end()):
            for match in CANDIDATE_END.finditer(text, start, stop):
                end = match.end()
                if match.group().startswith(".") and len(match.group().rstrip("\"'’”)]")) == 1 and _is_abbreviation(
                    text, match.start() + 1
                ):
                    continue
                spans.append(Span(start, end))
                start = end
                while start < stop and text[start].isspace():
                    start += 1
            if start < stop:
                spans.append(Span(start, len(text[:stop].rstrip())))
    return [s for s in spans if s.end > s.start]


def _split_long(text: str, span: Span, limit: int, count: TokenCounter) -> list[Span]:
    """Cut a sentence that alone exceeds the model's window at word boundaries, and inside a single
    "word" (a URL, a run of symbols) when that alone exceeds it."""
    units: list[tuple[Span, int]] = []
    for match in re.finditer(r"\S+", text[span.start:span.end]):
        start, end = match.start() + span.start, match.end() + span.start
        size = count([text[start:end]])[0]
        while size > limit and end - start > 1:
            cut = end
            while size > limit and cut - start > 1:
                cut = start + max(1, (cut - start) * limit // (size + 1))
                size = count([text[start:cut]])[0]
            units.append((Span(start, cut), size))
            start = cut
            size = count([text[start:end]])[0]
        units.append((Span(start, end), size))
    pieces: list[Span] = []
    first, used = 0, 0
    for i, (_, size) in enumerate(units):
        if used and used + size > limit:
            pieces.append(Span(units[first][0].start, units[i - 1][0].end))
            first, used = i, 0
        used += size
    pieces.append(Span(units[first][0].start, units[-1][0].end))
    return pieces


class Chunker:
    """Packs sentences greedily up to ``max_tokens`` word pieces, repeating ``overlap`` sentences."""

    def __init__(self, count_tokens: TokenCounter, max_tokens: int, overlap: int = 1) -> None:
        if max_tokens < 8:
            raise BadValueError(f"max_tokens={max_tokens} is too small for a passage")
        if overlap < 0:
            raise BadValueError(f"overlap={overlap} must not be negative")
        self.count_tokens = count_tokens
        self.budget = max_tokens - 2  # room for the model's [CLS] and [SEP]
        self.overlap = overlap

    def run(self, article: Article) -> list[Chunk]:
        text = article.text
        sentences = split_sentences(text)
        sizes = self.count_tokens([text[s.start:s.end] for s in sentences]) if sentences else []
        units: list[tuple[Span, int]] = []
        for span, size in zip(sentences, sizes):
            if size <= self.budget:
                units.append((span, size))
            else:
                pieces = _split_long(text, span, self.budget, self.count_tokens)
                units.extend(zip(pieces, self.count_tokens([text[p.start:p.end] for p in pieces])))
        groups: list[list[int]] = []
        i = 0
        while i < len(units):
            group, used = [i], units[i][1]
            while group[-1] + 1 < len(units) and used + units[group[-1] + 1][1] + 1 <= self.budget:
                group.append(group[-1] + 1)
                used += units[group[-1]][1] + 1
            groups.append(group)
            if group[-1] + 1 >= len(units):
                break
            i = max(group[-1] + 1 - self.overlap, group[0] + 1)
        chunks = []
        for number, group in enumerate(groups):
            start, end = units[group[0]][0].start, units[group[-1]][0].end
            chunks.append(
                Chunk(
                    id=chunk_id_of(article.id, number),
                    article_id=article.id,
                    number=number,
                    text=text[start:end],
                    start=start,
                    end=end,
                    sentences=[units[j][0] for j in group],
                )
            )
        return chunks
