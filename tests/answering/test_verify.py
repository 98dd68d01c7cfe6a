"""Citation parsing and checking on plain strings and hand-made passages of the real seed article."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answering.llm.verify import CitationChecker, lexical_support, names_found, numbers_found, split_claims
from assistant.ingest.chunk import split_sentences
from assistant.records.article import Passage

SEED = Path(__file__).resolve().parents[2] / "seeds" / "coalition-strikes-syria.txt"


def make_passages(text: str, per_passage: int = 4) -> list[Passage]:
    """Consecutive sentences of the article as passages, offsets as the chunker writes them."""
    spans = split_sentences(text)
    passages = []
    for i in range(0, len(spans), per_passage):
        group = spans[i:i + per_passage]
        start, end = group[0].start, group[-1].end
        passages.append(Passage(f"seed::{i}", "coalition-strikes-syria.txt", "Coalition strikes",
                                text[start:end], start, end, group, 1.0, date="2024-12-19"))
    return passages


@pytest.fixture(scope="module")
def article() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def passages(article: str) -> list[Passage]:
    return make_passages(article)


@pytest.fixture(scope="module")
def checker(embedder) -> CitationChecker:
    return CitationChecker(embedder)


def number_of(passages: list[Passage], needle: str) -> int:
    return next(n for n, p in enumerate(passages, 1) if needle in p.text)


def test_markers_after_the_full_stop_stay_with_their_sentence() -> None:
    claims = split_claims("Parnell confirmed it. [2] The attack was in Palmyra [1]. Trump spoke.[3][4]")
    assert [c.numbers for c in claims] == [[2], [1], [3, 4]]
    assert [c.plain for c in claims] == ["Parnell confirmed it.", "The attack was in Palmyra.", "Trump spoke."]


def test_lists_split_on_lines_and_grouped_markers_parse() -> None:
    text = "- U.S. troops were attacked in Palmyra [1, 3]\n- The coalition struck back [2; 2]"
    claims = split_claims(text)
    assert [c.numbers for c in claims] == [[1, 3], [2]]
    assert all(text[c.start:c.end] == c.text for c in claims)
    assert claims[0].plain == "- U.S. troops were attacked in Palmyra"  # "U.S." does not end a sentence


def test_lexical_helpers() -> None:
    assert lexical_support("Parnell confirmed the attack", "Sean Parnell confirmed an attack") == 1.0
    assert lexical_support("Aliens confirmed the attack", "Sean Parnell confirmed an attack") == pytest.approx(2 / 3)
    assert names_found("US troops in Palmyra were attacked", "U.S. personnel in Palmyra were attacked")
    assert names_found("However, Parnell confirmed it", "Sean Parnell confirmed the attack")
    assert not names_found("Russia carried out the attack on Palmyra", "IS carried out the attack in Palmyra")
    assert not names_found("It was confirmed by the French army", "It was confirmed by the Pentagon")
    assert not names_found("Édouard Philippe confirmed it", "Philippe confirmed it")  # a capital beyond ASCII
    assert numbers_found("on December 13th", "on December 13th in Palmyra")
    assert not numbers_found("on December 14th", "on December 13th in Palmyra")


def test_supported_claim_is_verified_with_the_exact_quote(article, passages, checker) -> None:
    n = number_of(passages, "Sean Parnell confirmed")
    checked = checker.check(f"Pentagon spokesperson Sean Parnell confirmed the attack [{n}].", passages)
    assert checked.text == "Pentagon spokesperson Sean Parnell confirmed the attack [1]."
    (citation,) = checked.citations
    assert citation.verified and checked.unverified == []
    assert citation.quote.startswith("Pentagon spokesperson Sean Parnell confirmed the attack")
    assert article[citation.start:citation.end] == citation.quote
    assert citation.passage == passages[n - 1].text and citation.passage_start == passages[n - 1].start
    assert citation.date == "2024-12-19" and citation.page is None  # not a PDF


def test_pdf_citations_carry_the_page(article, passages, checker) -> None:
    n = number_of(passages, "Sean Parnell confirmed")
    quote_start = article.index("Pentagon spokesperson Sean Parnell")
    assert quote_start > passages[n - 1].start  # so page 3 begins in the passage and page 4 at the quote
    paged = [replace(p, pages=[(3, p.start), (4, quote_start)]) if i == n - 1 else p for i, p in enumerate(passages)]
    checked = checker.check(f"Pentagon spokesperson Sean Parnell confirmed the attack [{n}].", paged)
    assert checked.citations[0].start == quote_start and checked.citations[0].page == 4


def test_markers_that_name_no_passage_are_dropped(passages, checker) -> None:
    n = number_of(passages, "Sean Parnell confirmed")
    bad = len(passages) + 5
    checked = checker.check(f"Sean Parnell confirmed the attack [{bad}][{n}]. The sky was green [0].", passages)
    assert checked.dropped == [0, bad]
    assert checked.text == "Sean Parnell confirmed the attack [1]. The sky was green."
    assert [c.n for c in checked.citations] == [1]


def test_unsupported_claims_are_flagged(article, passages, checker) -> None:
    n = number_of(passages, "Sean Parnell confirmed")
    text = (f"Sean Parnell confirmed the attack [{n}]. Aliens from Mars carried out the attack [{n}]. "
            f"The attack occurred on December 14th in Palmyra [{n}]. Russia carried out the attack on Palmyra [{n}].")
    checked = checker.check(text, passages)
    assert checked.unverified == ["Aliens from Mars carried out the attack.",
                                  "The attack occurred on December 14th in Palmyra.",
                                  "Russia carried out the attack on Palmyra."]
    supported = [c for c in checked.citations if c.verified]
    assert len(supported) == 1 and "Sean Parnell confirmed" in supported[0].quote
    for citation in checked.citations:
        assert article[citation.start:citation.end] == citation.quote
        assert citation.quote in passages[n - 1].text


def test_numbering_follows_first_appearance_and_shares_equal_quotes(passages, checker) -> None:
    trump = number_of(passages, "substantial retaliatory measures")
    parnell = number_of(passages, "Sean Parnell confirmed")
    assert trump != parnell
    text = (f"Trump vowed substantial retaliatory measures against IS [{trump}]. "
            f"Sean Parnell confirmed the attack [{parnell}]. "
            f"Donald Trump vowed retaliatory measures [{trump}].")
    checked = checker.check(text, passages)
    assert checked.text == ("Trump vowed substantial retaliatory measures against IS [1]. "
                            "Sean Parnell confirmed the attack [2]. Donald Trump vowed retaliatory measures [1].")
    assert [c.title for c in checked.citations] == ["Coalition strikes"] * 2
    assert "Trump" in checked.citations[0].quote and "Parnell" in checked.citations[1].quote


def test_claims_without_markers(passages, checker) -> None:
    n = number_of(passages, "Sean Parnell confirmed")
    text = f"Here is the answer. Sean Parnell confirmed the attack [{n}].\nThe strikes were ordered by the UN."
    checked = checker.check(text, passages)
    # "Here is the answer." carries no claim; the uncited sentence with content words does and is flagged.
    assert checked.unverified == ["The strikes were ordered by the UN."]
    assert checked.text == text.replace(f"[{n}]", "[1]")


def test_no_passages_means_no_citations(checker) -> None:
    checked = checker.check("Sean Parnell confirmed the attack [1].", [])
    assert checked.citations == [] and checked.dropped == [1]
    assert checked.text == "Sean Parnell confirmed the attack."


@pytest.mark.parametrize("raw", ["", "   ", "[", "[1", "]]] [[", "[1]", "\n\n[2]\n", "Text [1, x].", "[1][1][1]",
                                 "No. 5 [12345].", "…", "[1]. [2]. [3]."])
def test_odd_answers_never_raise(raw: str, passages, checker) -> None:
    checked = checker.check(raw, passages)
    assert all(1 <= n <= len(passages) for n in (int(m) for m in re.findall(r"\[(\d+)\]", checked.text)))
    assert {c.n for c in checked.citations} == {int(m) for m in re.findall(r"\[(\d+)\]", checked.text)}
