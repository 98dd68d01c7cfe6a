"""The extractive answerer on hand-made passages, with the real model."""

from __future__ import annotations

import pytest

from assistant.answering import ABSTAIN_TEXT, ExtractiveAnswerer, with_marker
from assistant.answering.reading import read_query
from assistant.records.article import Passage, Span
from assistant.records.events import Done, TextDelta
from assistant.store.packing import pack_vectors

FESTIVAL = ("Lantern festival postponed\nThe Varel lantern festival was postponed by a week because of storms.  "
            "More than 40,000 visitors came to the festival last year.  "
            "Mayor Hanna Brink opened the festival on Friday evening with a parade along the harbour.")


def passage(text: str, article: str = "a.md", start: int = 0, title: str = "Title") -> Passage:
    spans, offset = [], start
    for sentence in text.replace("\n", "  ").split("  "):
        spans.append(Span(offset, offset + len(sentence)))
        offset += len(sentence) + (2 if text[offset - start + len(sentence):][:2] == "  " else 1)
    return Passage(f"{article}::0", article, title, text, start, start + len(text), spans, 0.1)


def test_marker_goes_before_the_final_stop():
    assert with_marker("It rained.", 1) == "It rained [1]."
    assert with_marker("‘We won,’ he said", 2) == "‘We won,’ he said [2]"
    assert with_marker("Really?!", 3) == "Really?! [3]"


def test_answers_with_the_sentence_that_holds_the_answer(embedder):
    text = ("Firefighters rescued two hikers from the Kettlebrook quarry lake on Sunday.  "
            "Captain Mira Okonkwo led the rescue team, which used an inflatable boat.")
    question = "Who led the rescue at the Kettlebrook quarry?"
    answer = ExtractiveAnswerer(embedder).run(read_query(question), [passage(text, start=40)])
    assert not answer.abstained and "Mira Okonkwo" in answer.text
    quoting = next(c for c in answer.citations if c.quote.startswith("Captain Mira Okonkwo"))
    assert quoting.start == 40 + text.index("Captain")


def test_short_answer_is_an_exact_span_of_the_asked_kind(embedder):
    text = "Captain Mira Okonkwo led the rescue on 14 March 2024.  The lake is 40 metres deep."
    article = "x" * 40 + text
    answerer = ExtractiveAnswerer(embedder)
    for question, expected in (("When did Captain Okonkwo lead the rescue?", "14 March 2024"),
                               ("Who led the rescue?", "Mira Okonkwo"),
                               ("How deep is the lake?", "40 metres")):
        answer = answerer.run(read_query(question), [passage(text, start=40)])
        short = answer.short_answer
        assert short is not None, question
        assert short.text == expected and article[short.start:short.end] == expected
        assert answer.text.startswith(f"{expected}: ") and short.citation in {c.n for c in answer.citations}


def test_the_short_answer_is_not_made_of_the_question_s_own_words(embedder):
    text = "On the opening drive, Denver's kicker Brandon McManus made a 34-yard field goal at the Harbour Stadium."
    answerer = ExtractiveAnswerer(embedder)
    for question, expected in (("Who kicked the field goal for Denver on the opening drive?", "Brandon McManus"),
                               ("Where did McManus kick the field goal for Denver?", "Harbour Stadium")):
        short = answerer.run(read_query(question), [passage(text)]).short_answer
        assert short is not None and short.text == expected, (question, short)


def test_a_spelled_out_acronym_of_the_question_is_not_its_answer(embedder):
    text = "Cam Newton was named the Most Valuable Player (MVP) of the 2015 NFL season."
    short = ExtractiveAnswerer(embedder).run(
        read_query("Who was the 2015 NFL MVP?"), [passage(text)]).short_answer
    assert short is not None and short.text == "Cam Newton"


def test_an_acronym_of_the_question_s_words_is_not_its_answer(embedder):
    text = "In the 2015 season, the MVP was Cam Newton, the quarterback of the Carolina Panthers."
    short = ExtractiveAnswerer(embedder).run(
        read_query("Who was the Most Valuable Player in 2015?"), [passage(text)]).short_answer
    assert short is not None and short.text == "Cam Newton"


def test_what_year_is_answered_with_the_year_at_its_exact_place(embedder):
    text = "Council approval for the Varel bridge came on May 21, 2013, after a long debate."
    short = ExtractiveAnswerer(embedder).run(read_query("In what year was the Varel bridge approved?"),
                                             [passage(text, start=100)]).short_answer
    assert short is not None and short.text == "2013" and text[short.start - 100:short.end - 100] == "2013"


def test_no_short_answer_when_the_evidence_has_no_span_of_that_kind(embedder):
    text = "Captain Mira Okonkwo led the rescue team.  The team used an inflatable boat."
    answer = ExtractiveAnswerer(embedder).run(
        read_query("What did the rescue team use?"), [passage(text)])
    assert not answer.abstained and "inflatable boat" in answer.text and answer.short_answer is None


def test_a_sentence_that_adds_the_asked_thing_beats_one_restating_the_question(embedder):
    text = ("The festival in Varel was opened with a parade, the organisers said.  "
            "Mayor Hanna Brink opened the festival on Friday evening.")
    answer = ExtractiveAnswerer(embedder).run(
        read_query("Who opened the festival in Varel?"), [passage(text)])
    assert answer.short_answer and answer.short_answer.text == "Hanna Brink"
    assert answer.citations[0].quote.startswith("Mayor Hanna Brink")


def test_titles_are_never_quoted(embedder):
    answer = ExtractiveAnswerer(embedder).run(read_query("Why was the lantern festival postponed?"),
                                              [passage(FESTIVAL, title="Lantern festival postponed")])
    assert not answer.abstained and "storms" in answer.text
    assert all(c.quote != "Lantern festival postponed" for c in answer.citations)


def test_follow_up_answers_the_new_question(embedder):
    festival = passage(FESTIVAL, title="Lantern festival postponed")
    answerer = ExtractiveAnswerer(embedder)
    first = answerer.run(read_query("How many visitors came?"), [festival])
    assert first.short_answer and "40,000" in first.short_answer.text
    follow_up = answerer.run(read_query("Who opened the festival?", history=["How many visitors came?"]), [festival])
    assert follow_up.short_answer and follow_up.short_answer.text == "Hanna Brink"
    assert "40,000" not in follow_up.citations[0].quote


def test_abstains_when_a_name_the_question_gives_is_nowhere(embedder):
    text = "Captain Mira Okonkwo led the rescue at the Kettlebrook quarry on Sunday."
    answer = ExtractiveAnswerer(embedder).run(
        read_query("Who led the rescue at the Brackwater quarry?"), [passage(text)])
    assert answer.abstained and answer.citations == []


def test_abstains_without_evidence(embedder):
    answer = ExtractiveAnswerer(embedder).run(read_query("Who won the 2022 FIFA World Cup?"),
                                              [passage("The council approved a bridge.  It opens in May.")])
    assert answer.abstained and answer.text == ABSTAIN_TEXT and answer.citations == []
    assert ExtractiveAnswerer(embedder).run(read_query("Anything?"), []).abstained


def test_stream_gives_the_text_then_the_answer(embedder):
    text = "Captain Mira Okonkwo led the rescue team."
    delta, done = ExtractiveAnswerer(embedder).stream(read_query("Who led the rescue team?"), [passage(text)])
    assert isinstance(delta, TextDelta) and isinstance(done, Done) and delta.text == done.answer.text


class CountingEncoder:
    """The real model, counting what it is asked to embed."""

    def __init__(self, embedder) -> None:
        self.embedder, self.texts = embedder, []

    def encode(self, texts):
        self.texts += list(texts)
        return self.embedder.encode(texts)


def test_sentence_vectors_stored_at_index_time_are_read_not_embedded_again(embedder):
    fresh = passage(FESTIVAL, title="Lantern festival postponed")
    text_of = [FESTIVAL[s.start:s.end] for s in fresh.sentences]
    stored = passage(FESTIVAL, title="Lantern festival postponed")
    stored.packed_vectors = pack_vectors(embedder.encode(text_of))  # as the store returns it: decoded when read
    question = "Who opened the festival?"
    counting = CountingEncoder(embedder)
    with_stored = ExtractiveAnswerer(counting).run(read_query(question), [stored])
    assert counting.texts == [question]  # only the question is embedded at question time
    embedded_now = ExtractiveAnswerer(embedder).run(read_query(question), [fresh])
    assert with_stored.text == embedded_now.text and with_stored.short_answer.text == "Hanna Brink"
    # Not identical: the int8 model quantises activations per batch, so a vector moves by ~0.01 of
    # cosine with what it was embedded beside (at index time, its article; now, the question).
    assert [c.score for c in with_stored.citations] == pytest.approx([c.score for c in embedded_now.citations],
                                                                     abs=0.02)


def test_abstains_when_the_closest_sentence_says_the_contrary(embedder):
    text = "The river makes a distinctive turn to the north near Chur.  The valley is wide and green."
    answer = ExtractiveAnswerer(embedder).run(read_query("Where does the river make a distinctive turn to the south?"),
                                              [passage(text)])
    assert answer.abstained
    north = read_query("Where does the river make a distinctive turn to the north?")
    answered = ExtractiveAnswerer(embedder).run(north, [passage(text)])
    assert not answered.abstained and "Chur" in answered.text


def test_a_when_question_is_not_answered_by_a_sentence_without_a_time(embedder):
    text = "The two plates reversed direction and compressed the Tethys floor."
    answer = ExtractiveAnswerer(embedder).run(
        read_query("When did the two plates reverse direction?"), [passage(text)])
    assert answer.abstained
    dated = "Around 180 million years ago the two plates reversed direction and compressed the Tethys floor."
    answered = ExtractiveAnswerer(embedder).run(
        read_query("When did the two plates reverse direction?"), [passage(dated)])
    assert not answered.abstained and answered.short_answer.text == "180 million years ago"


def test_the_best_few_are_ranked_as_in_the_full_ranking_with_fewer_spans_read(embedder):
    from assistant.answering.extractive import passage_terms, sentences_of
    from assistant.answering.question import analyse

    texts = [FESTIVAL, "The harbour parade was moved to Saturday.  Storms closed the ferry to Varel on Monday.",
             "Tickets cost 12 euros.  The lantern makers came from Leer and Emden.  Rain fell for three days."]
    passages = [passage(t, article=f"{n}.md", title="Varel") for n, t in enumerate(texts)]
    asked = analyse("When was the Varel lantern festival opened?")
    answerer = ExtractiveAnswerer(embedder)

    def ranking(top):
        sentences = sentences_of(passages, asked, passage_terms(passages))
        ranked = answerer.rank(asked, asked, sentences, top=top)
        return [(s.text, s.score) for s in ranked], sum("spans" in s.__dict__ for s in sentences)

    everything, read_all = ranking(None)
    best, read_some = ranking(2)
    assert best == everything[:2] and read_all == len(everything) == 8 and read_some < read_all
