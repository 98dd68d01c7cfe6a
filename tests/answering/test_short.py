"""The short answer: which span of a cited sentence answers what was asked."""

from __future__ import annotations

from assistant.answering.evidence import Sentence
from assistant.answering.question import analyse
from assistant.answering.short import best_span
from assistant.records.article import Passage, Span
from assistant.text.terms import terms


def read(sentence: str, question: str) -> Sentence:
    passage = Passage("a.md::0", "a.md", "Title", sentence, 0, len(sentence), [Span(0, len(sentence))], 0.1)
    return Sentence(passage, Span(0, len(sentence)), sentence, "", frozenset(terms(sentence)), frozenset(),
                    frozenset(terms(sentence)), analyse(question))


def test_who_is_answered_by_a_person_or_a_team_not_an_event_or_a_place():
    sentence = read("Ann Lee, the new harbour master, was thanked at the Lantern Festival for the rescue.",
                    "Who was thanked for the rescue?")
    assert best_span(sentence.asked, sentence).text == "Ann Lee"  # the festival sits nearer the asked words


def test_the_span_nearest_the_question_s_words_answers():
    sentence = read("Anna Berg founded the shelter in Varel, and Tom Lee later ran it.", "Who founded the shelter?")
    assert best_span(sentence.asked, sentence).text == "Anna Berg"


def test_how_many_is_answered_by_the_number_without_the_noun_it_counts():
    sentence = read("Newton threw for 3,837 yards and ran for 636.", "How many yards did Newton throw for?")
    best = best_span(sentence.asked, sentence)
    assert best.text == "3,837" and sentence.text[best.start:best.end] == "3,837"
    measured = read("The river is 1,230 km long.", "How long is the river?")
    assert best_span(measured.asked, measured).text == "1,230 km"  # a measure keeps its unit


def test_a_question_for_several_is_answered_by_the_names_listed_together():
    sentence = read("The sideline reporters were Tracy Wolfson and Evan Washburn, with Jim Nantz calling the game.",
                    "Who were the sideline reporters?")
    best = best_span(sentence.asked, sentence)
    assert best.text == "Tracy Wolfson and Evan Washburn" and sentence.text[best.start:best.end] == best.text
    one = read("The sideline reporter was Tracy Wolfson and Evan Washburn read the news.", "Who was the reporter?")
    assert best_span(one.asked, one).text in ("Tracy Wolfson", "Evan Washburn")


class FixedReader:
    """A span reader that reads one span (sentence offsets), or none, and counts what it was asked."""

    def __init__(self, found: tuple[int, int] | None) -> None:
        self.found, self.asked = found, []

    def read(self, question, sentence):
        from assistant.answering.reader import ReadSpan

        self.asked.append((question, sentence.text))
        return ReadSpan(*self.found, 0.9) if self.found else None


def cited(text: str, at: int, question: str):
    """A sentence at article offset ``at`` and its citation [1]."""
    from assistant.answering.citing import cite

    passage = Passage("a.md::0", "a.md", "Title", text, at, at + len(text), [Span(at, at + len(text))], 0.1)
    sentence = Sentence(passage, Span(at, at + len(text)), text, "", frozenset(terms(text)), frozenset(),
                        frozenset(terms(text)), analyse(question))
    return sentence, cite(1, passage, sentence.span, 0.9)


def test_the_reader_gives_the_short_answer_only_where_the_rules_find_none():
    from assistant.answering.short import short_answer

    text = "The company recalled 40,000 electric scooters after battery fires."
    sentence, citation = cited(text, 100, "What did the company recall?")  # asks for no kind the rules know
    reader = FixedReader((21, 45))
    short = short_answer(sentence.asked, [sentence], [citation], reader=reader)
    assert short is not None and short.text == "40,000 electric scooters" and short.citation == 1
    assert (short.start, short.end) == (121, 145)  # article offsets: the passage starts at 100
    assert reader.asked == [("What did the company recall?", text)]
    assert short_answer(sentence.asked, [sentence], [citation], reader=FixedReader(None)) is None  # not sure enough
    dated, dated_citation = cited("The recall began on March 3.", 0, "When did the recall begin?")
    unused = FixedReader((0, 3))
    ruled = short_answer(dated.asked, [dated], [dated_citation], reader=unused)
    assert ruled is not None and ruled.text == "March 3" and unused.asked == []  # the rules found one
