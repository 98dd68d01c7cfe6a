"""Verify an LLM's answer: keep only [n] markers that name a passage, and check each cited sentence.

An LLM can cite a passage that does not exist, or cite a real one for a claim it made up. Every
claim is compared with the passages it cites: embedding similarity plus lexical overlap, and its
numbers and names must occur there. Each citation carries the passage sentence that supports the
claim best, with article offsets, so ``quote == article.text[start:end]`` holds as it does for the
extractive answerer. This is a screen, not proof: a claim that reuses a passage's words and names
with a different meaning ("Parnell resigned after the attack") can still pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np

from ...errors import BadValueError
from ...ingest.chunk import split_sentences
from ...records.answer import CITATION_MARKER, Citation, strip_markers
from ...records.article import Passage, Span
from ...text.lexicon import ONE_TO_TEN
from ...text.terms import UPPER, terms
from ..citing import cite

LEADING_MARKERS = re.compile(r"(?:\s*" + CITATION_MARKER.pattern + ")+")
MARKER_WITH_SPACE = re.compile(r"[ \t]*" + CITATION_MARKER.pattern)
NUMBER = re.compile(r"\d+")
NAME = re.compile(rf"(?<![\w'’-])[{UPPER}][\w'’-]*")
# Capitalised only because they open a sentence; any other capitalised word must be in the passage.
OPENERS = frozenset("""however meanwhile additionally overall instead therefore thus finally first second third
    later earlier today yesterday both many several most yes in short""".split()) | frozenset(ONE_TO_TEN)
LINE = re.compile(r"[^\n]+")


@dataclass
class Claim:
    """One sentence of the answer, exactly as written (``text == answer[start:end]``)."""

    start: int
    end: int
    text: str

    @property
    def numbers(self) -> list[int]:
        """The passage numbers its markers name, in order, duplicates removed."""
        found = [int(n) for m in CITATION_MARKER.finditer(self.text) for n in re.split(r"[,;]", m.group(1))]
        return list(dict.fromkeys(found))

    @property
    def plain(self) -> str:
        return strip_markers(self.text)


@dataclass
class Checked:
    """The answer with valid, renumbered markers, its citations and the claims nothing supports."""

    text: str
    citations: list[Citation]
    unverified: list[str] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)  # marker numbers that matched no passage


def split_claims(text: str) -> list[Claim]:
    """Sentences of the answer; a marker written after the full stop ("… Palmyra. [1]") stays with it."""
    claims: list[Claim] = []
    for line in LINE.finditer(text):
        starts = [line.start() + s.start for s in split_sentences(line.group())]
        for i in range(1, len(starts)):  # move markers that open a sentence to the one before
            moved = LEADING_MARKERS.match(text, starts[i])
            if moved and moved.end() < line.end():
                starts[i] = moved.end()
        bounds = [*starts, line.end()]
        for start, end in pairwise(bounds):
            segment = text[start:end].strip()
            if segment:
                offset = text.index(segment, start)
                claims.append(Claim(offset, offset + len(segment), segment))
    return claims


def lexical_support(claim: str, evidence: str) -> float:
    """Share of the claim's content words found in the evidence (1.0 for a claim without any)."""
    wanted = set(terms(claim))
    return len(wanted & set(terms(evidence))) / len(wanted) if wanted else 1.0


def numbers_found(claim: str, evidence: str) -> bool:
    """A figure or date in the claim that the passage never mentions is a made-up detail."""
    present = set(NUMBER.findall(evidence))
    return all(n in present for n in NUMBER.findall(claim))


def names_found(claim: str, evidence: str) -> bool:
    """A name, place or group the passage never mentions ("Russia carried out the attack") is made up.

    Embedding similarity and word overlap both score such a claim high because the rest of it
    matches; this catches the swapped actor. Dots are ignored so "US" matches "U.S.".
    """
    present = set(terms(evidence.replace(".", "")))
    for i, token in enumerate(NAME.findall(claim.replace(".", ""))):
        wanted = terms(token)
        if i == 0 and claim.lstrip("-*•\"'“‘ ").startswith(token) and token.lower() in OPENERS:
            continue
        if wanted and not all(t in present for t in wanted):
            return False
    return True


def sentence_spans(passage: Passage) -> list[tuple[Span, str]]:
    spans = passage.sentences or [Span(passage.start, passage.end)]
    return [(s, passage.text[s.start - passage.start: s.end - passage.start]) for s in spans]


class CitationChecker:
    """Scores a claim against a passage as ``semantic * similarity + (1 - semantic) * overlap``."""

    def __init__(self, embedder, threshold: float = 0.55, semantic_weight: float = 0.5,
                 min_terms: int = 3) -> None:
        if not 0.0 <= semantic_weight <= 1.0:
            raise BadValueError(f"semantic_weight={semantic_weight} must be between 0 and 1")
        self.embedder = embedder
        self.threshold = threshold
        self.semantic_weight = semantic_weight
        self.min_terms = min_terms  # shorter uncited sentences ("In short:") are not claims

    def blend(self, similarity, overlap):
        return self.semantic_weight * similarity + (1 - self.semantic_weight) * overlap

    def check(self, text: str, passages: Sequence[Passage]) -> Checked:
        claims = split_claims(text)
        valid = set(range(1, len(passages) + 1))
        dropped = sorted({n for c in claims for n in c.numbers if n not in valid})
        cited = {n for c in claims for n in c.numbers if n in valid}
        candidates = {n: sentence_spans(passages[n - 1]) for n in sorted(cited)}
        flat = [(n, span, quote) for n, spans in candidates.items() for span, quote in spans]
        plains = [c.plain for c in claims]
        # None only without candidate sentences, when no claim below has a sentence to compare with
        vectors: Any = self.embedder.encode(plains + [q for _, _, q in flat]) if flat else None
        row_of = {(n, span): len(plains) + i for i, (n, span, _) in enumerate(flat)}

        citations: list[Citation] = []
        number_of: dict[tuple[int, Span, bool], int] = {}
        unverified: list[str] = []
        parts: list[str] = []
        cursor = 0
        for i, claim in enumerate(claims):
            parts.append(text[cursor:claim.start])
            cursor = claim.end
            mapping: dict[int, int] = {}
            any_support = False
            for n in (m for m in claim.numbers if m in valid):
                passage = passages[n - 1]
                sims = np.array([float(vectors[row_of[(n, span)]] @ vectors[i]) for span, _ in candidates[n]])
                overlaps = np.array([lexical_support(claim.plain, q) for _, q in candidates[n]])
                span, _ = candidates[n][int(np.argmax(self.blend(sims, overlaps)))]  # the sentence to quote
                # Support is judged on the whole passage: a claim may join facts from two of its sentences.
                score = float(self.blend(sims.max(), lexical_support(claim.plain, passage.text)))
                supported = (score >= self.threshold and numbers_found(claim.plain, passage.text)
                             and names_found(claim.plain, passage.text))
                any_support = any_support or supported
                key = (n, span, supported)  # a supported and an unsupported claim never share a number
                if key not in number_of:
                    number_of[key] = len(citations) + 1
                    citations.append(cite(number_of[key], passage, span, score, supported))
                mapping[n] = number_of[key]
            parts.append(_renumber(claim.text, mapping))
            if not any_support and (claim.numbers or len(terms(claim.plain)) >= self.min_terms):
                unverified.append(claim.plain)
        parts.append(text[cursor:])
        return Checked("".join(parts).strip(), citations, unverified, dropped)


def _renumber(sentence: str, mapping: dict[int, int]) -> str:
    """Rewrite each marker with the new numbers of its passages; drop numbers that name no passage."""
    written: set[int] = set()

    def replace(match: re.Match) -> str:
        old = [int(n) for n in re.split(r"[,;]", match.group(1))]
        new = [mapping[n] for n in old if n in mapping and mapping[n] not in written]
        written.update(new)
        markers = "".join(f"[{n}]" for n in dict.fromkeys(new))
        return (" " if match.start() > 0 else "") + markers if markers else ""

    return MARKER_WITH_SPACE.sub(replace, sentence).strip()
