"""Evidence: what a sentence must hold to answer a question, and what it lacks."""

from __future__ import annotations

from assistant.answering.evidence import Demands, Sentence, lacks, new_spans, spelled_out
from assistant.answering.question import analyse
from assistant.answering.weights import WEIGHTS
from assistant.records.article import Passage, Span
from assistant.text.terms import terms


def shortfall(demands: Demands, sentence: Sentence) -> dict[str, float]:
    """What the rules subtract: each lacking term's amount."""
    return {term: amount for term, (_, amount) in lacks(demands, sentence).items()}

def test_a_bare_number_does_not_say_how_long_but_counts_for_how_many():
    sentence = "Lake Constance consists of three bodies of water."
    assert analyse("How long is Lake Constance?").measured
    assert new_spans(sentence, analyse("How long is Lake Constance?")) == []
    assert [c.text for c in new_spans(sentence, analyse("How many bodies of water make up the lake?"))] == ["three"]
    assert [c.text for c in new_spans("It is 63 km long.", analyse("How long is Lake Constance?"))] == ["63 km"]


def read(sentence: str, question: str, passage_text: str = "") -> Sentence:
    text = passage_text or sentence
    passage = Passage("a.md::0", "a.md", "Title", text, 0, len(text), [Span(0, len(text))], 0.1)
    start = text.index(sentence)
    return Sentence(passage, Span(start, start + len(sentence)), sentence, "", frozenset(terms(sentence)),
                    frozenset(), frozenset(terms(text)), analyse(question))


def test_a_name_no_retrieved_passage_holds_decides_and_a_misspelt_one_does_not():
    question = analyse("When did Mayor Brink open the Varel festival?")
    demands = Demands.of(question, frozenset(terms("Mayor Brinck opened the festival on Friday.")))
    assert demands.unheard == {"varel"}  # "brink" is near "brinck": a misspelling, not another town
    lacking = shortfall(demands, read("Mayor Brinck opened the festival on Friday.", question.text))
    assert lacking == {"varel": WEIGHTS.decisive}  # and the sentence's "Brinck" is taken for "Brink"


def test_a_sentence_holding_every_specific_and_the_asked_kind_lacks_nothing():
    question = analyse("When did Mayor Brink open the Varel festival?")
    sentence = "Mayor Brink opened the Varel festival on Friday."
    demands = Demands.of(question, frozenset(terms(sentence)))
    assert demands.unheard == frozenset() and shortfall(demands, read(sentence, question.text)) == {}
    undated = read("Mayor Brink praised the Varel festival.", question.text)
    assert shortfall(demands, undated) == {"<date>": WEIGHTS.decisive}


def test_spans_are_read_when_first_asked_for_and_only_once():
    sentence = read("Mayor Brink opened the festival on Friday.", "When did the festival open?")
    assert "spans" not in sentence.__dict__
    assert [c.text for c in sentence.spans] == ["Friday"] and sentence.spans is sentence.spans


def test_a_span_spelling_out_an_acronym_of_the_question_is_no_answer():
    assert spelled_out("the NFL Most Valuable Player award", frozenset({"MVP", "WHO"})) == {
        "MVP": {"most", "valuable", "player"}}
    assert spelled_out("Most Valuable Player", frozenset()) == {}
    question = analyse("Who was the 2015 NFL MVP?")
    spans = new_spans("Cam Newton was named the NFL Most Valuable Player.", question)
    assert [c.text for c in spans] == ["Cam Newton"]


def test_a_sentence_that_abbreviates_the_question_s_words_holds_them():
    question = analyse("Who was the Most Valuable Player of the World Health Organization in 2015?")
    sentence = read("In 2015 the WHO named Ann Lee its MVP.", question.text)
    assert shortfall(Demands.of(question, sentence.passage_terms), sentence) == {}
    assert shortfall(Demands.of(question, sentence.passage_terms), read("In 2015 Ann Lee won.", question.text))


def test_a_span_must_be_what_was_asked_a_length_a_century_or_a_count_of_the_thing():
    high = analyse("How high is the dam?")
    assert [c.text for c in new_spans("It was built over 7000 years and rises 40 m.", high)] == ["40 m"]
    century = analyse("What century was the bridge built?")
    assert [c.text for c in new_spans("Built in 1939, it replaced a 12th century bridge.", century)] == ["12th century"]
    villages = analyse("How many villages are on the river?")
    assert new_spans("The river has more than 40 castles.", villages) == []
    assert [c.text for c in new_spans("The river has 40 villages.", villages)] == ["40"]
    assert new_spans("In the 9th century the river had villages.", villages) == []  # an ordinal counts nothing
