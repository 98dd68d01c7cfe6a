"""The extractive answerer on hand-made passages, with the real model."""

from __future__ import annotations

from assistant.answer import ABSTAIN_TEXT, ExtractiveAnswerer, with_marker
from assistant.types import Passage, Span


def passage(text: str, article: str = "a.md", start: int = 0) -> Passage:
    spans, offset = [], start
    for sentence in text.split("  "):
        spans.append(Span(offset, offset + len(sentence)))
        offset += len(sentence) + 2
    return Passage(f"{article}::0", article, "Title", text, start, start + len(text), spans, 0.1)


def test_marker_goes_before_the_final_stop():
    assert with_marker("It rained.", 1) == "It rained [1]."
    assert with_marker("‘We won,’ he said", 2) == "‘We won,’ he said [2]"
    assert with_marker("Really?!", 3) == "Really?! [3]"


def test_answers_with_the_sentence_that_holds_the_answer(embedder):
    text = ("Firefighters rescued two hikers from the Kettlebrook quarry lake on Sunday.  "
            "Captain Mira Okonkwo led the rescue team, which used an inflatable boat.")
    question = "Who led the rescue at the Kettlebrook quarry?"
    answer = ExtractiveAnswerer(embedder).run(question, [passage(text, start=40)])
    assert not answer.abstained and "Mira Okonkwo" in answer.text
    first = answer.citations[0]
    assert first.quote.startswith("Captain Mira Okonkwo") and first.start == 40 + text.index("Captain")


def test_abstains_without_evidence(embedder):
    answer = ExtractiveAnswerer(embedder).run("Who won the 2022 FIFA World Cup?",
                                              [passage("The council approved a bridge.  It opens in May.")])
    assert answer.abstained and answer.text == ABSTAIN_TEXT and answer.citations == []
    assert ExtractiveAnswerer(embedder).run("Anything?", []).abstained
