"""The learned scorer and the answer checker: what ships loads, reads what the rules read, and training runs
end to end on a slice of the training set."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.answering.checker import MAX_TOKENS, READ_TOKENS, SHIPPED, AnswerChecker
from assistant.answering.evidence import Sentence
from assistant.answering.learned import FEATURES, FITTED, LearnedScorer, features, load_scorer
from assistant.answering.question import analyse
from assistant.errors import BadValueError
from assistant.records.article import Passage, Span

from ..conftest import ROOT, run_cli

SLICE = ROOT / "tests" / "fixtures" / "train-slice"


def sentence(text: str, similarity: float, lexical: float, lacking: dict | None = None) -> Sentence:
    passage = Passage(chunk_id="a::0", article_id="a", title="A", text=text, start=0, end=len(text),
                      sentences=[Span(0, len(text))], score=1.0)
    found = Sentence(passage, Span(0, len(text)), text, "", asked=analyse("Who confirmed the attack?"))
    found.similarity, found.lexical, found.lacking = similarity, lexical, lacking or {}
    return found


def test_the_shipped_scorer_says_where_it_came_from_and_reads_every_feature() -> None:
    scorer = load_scorer()
    assert set(scorer.coefficients) <= set(FEATURES)
    assert 0.0 < scorer.threshold < 1.0
    assert "squad2-train" in scorer.provenance["fitted_on"]
    assert scorer.provenance["command"] == "make train"
    assert scorer.coefficients["similarity"] > 0  # meaning counts for an answer, as it must
    assert SHIPPED.stat().st_size < 5 * 1024 * 1024


def test_features_say_what_a_sentence_lacks_and_how_far_it_is_behind() -> None:
    question = analyse("Who confirmed the attack?")
    best = sentence("Sean Parnell confirmed the attack.", 0.8, 0.9)
    worse = sentence("It rained.", 0.3, 0.1, {"attack": ("missing_word", 0.35), "~x": ("contrary", 10.0)})
    rows = features(question, [best, worse], [2.0, -1.0])
    assert rows[0]["behind_similarity"] == 0.0 and rows[1]["behind_similarity"] == pytest.approx(0.5)
    assert rows[1]["missing_word"] == 0.35 and rows[1]["contrary"] == 10.0 and rows[0]["missing_word"] == 0.0
    assert rows[0]["has_span"] == 1.0 and rows[1]["has_span"] == 0.0
    assert [r["checker"] for r in rows] == [2.0, -1.0] and set(rows[0]) == set(FEATURES)


def test_rescoring_orders_by_the_fitted_probability() -> None:
    scorer = LearnedScorer({"similarity": 10.0, "missing_word": -20.0}, -5.0, 0.5, 0.1)
    first, second = sentence("A", 0.9, 0.5, {"w": ("missing_word", 0.35)}), sentence("B", 0.7, 0.5)
    ranked = scorer.rescore(analyse("Who confirmed the attack?"), [first, second])
    assert ranked == [second, first]
    assert second.score == pytest.approx(1 / (1 + 2.718281828 ** -2.0), abs=1e-3)
    with pytest.raises(BadValueError, match="this learned scorer reads the answer checker"):
        LearnedScorer({}, 0.0, 0.5, 0.1, uses_checker=True).rescore(analyse("Who?"), [first])


class CountingChecker:
    """A checker that can give logits from -4 to 4 and says which sentences it was asked to read."""

    logit_range = (-4.0, 4.0)

    def __init__(self) -> None:
        self.read: list[str] = []

    def logits(self, question: str, sentences: list) -> list[float]:
        self.read += [s.text for s in sentences]
        return [3.0] * len(sentences)


def test_a_candidate_the_checker_could_not_lift_over_the_cut_goes_unread() -> None:
    """At the checker's most favourable 4, the hopeless one's logit is -2 + 4×0.5 - 6 = -6: under the cut."""
    scorer = LearnedScorer({"similarity": 10.0, "checker": 0.5}, -6.0, 0.5, 0.1, uses_checker=True)
    likely, hopeless = sentence("Sean Parnell confirmed it.", 0.8, 0.5), sentence("It rained.", -0.2, 0.0)
    checker = CountingChecker()
    ranked = scorer.rescore(analyse("Who confirmed the attack?"), [likely, hopeless], checker)
    assert checker.read == ["Sean Parnell confirmed it."]
    assert ranked == [likely, hopeless] and likely.score > 0.5 > hopeless.score
    assert hopeless.score == pytest.approx(1 / (1 + 2.718281828 ** 6.0), abs=1e-3)  # its score at the most


def test_a_bad_scorer_is_named(tmp_path: Path) -> None:
    with pytest.raises(BadValueError, match="'shoe_size' is not a feature"):
        LearnedScorer({"shoe_size": 1.0}, 0.0, 0.5, 0.1)
    broken = tmp_path / "learned.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(BadValueError, match=f"learned scorer {re.escape(str(broken))} cannot be read"):
        load_scorer(broken)
    with pytest.raises(BadValueError, match=r"threshold=1\.5"):
        LearnedScorer({}, 0.0, 1.5, 0.1)


def test_the_shipped_checker_loads_and_prefers_the_sentence_that_answers(embedder) -> None:
    """Exported to int8 ONNX on first use (in the tests' shared models folder), then read from there."""
    import os

    checker = AnswerChecker(Path(os.environ["ASSISTANT_MODELS_DIR"]))
    answers = sentence("Pentagon spokesperson Sean Parnell confirmed the attack in Palmyra.", 0, 0)
    other = sentence("The weather in the region was mild for December.", 0, 0)
    logits = checker.logits("Who confirmed the attack in Palmyra?", [answers, other])
    assert len(logits) == 2 and logits[0] > logits[1]
    least, most = checker.logit_range  # from the head's weights alone; every logit lies within it
    assert -20 < least < min(logits) and max(logits) < most < 20
    assert checker.path.is_file()
    again = AnswerChecker(checker.path.parent)  # the cached export, read again: the same numbers
    assert again.logits("Who confirmed the attack in Palmyra?", [answers, other]) == pytest.approx(logits, abs=1e-5)
    # int8 activations are scaled per call (dynamic quantisation), so a sentence read beside others moves a
    # little: here by 0.32 of a logit, where the scorer weighs a logit at 0.43 (learned.json)
    alone = again.logits("Who confirmed the attack in Palmyra?", [answers])
    assert alone == pytest.approx(logits[:1], abs=0.5)
    # its threads sleep between calls rather than spin, as the embedder's do: spinning, each took the cores
    # the other needed when a question ran both (benchmarks/RESULTS.md)
    assert again.session.get_session_options().get_session_config_entry("session.intra_op.allow_spinning") == "0"
    # it reads pairs of READ_TOKENS, shorter than the MAX_TOKENS it was trained on, and the shipped scorer was
    # fitted on logits read that way
    long = sentence("The attack was confirmed " + "again and again " * 60 + "by the Pentagon.", 0, 0)
    encodings, _ = again.encoded("Who confirmed the attack in Palmyra?", [long])
    assert len(encodings[0].ids) == READ_TOKENS < MAX_TOKENS
    assert load_scorer().provenance["checker_read_tokens"] == READ_TOKENS


def test_a_missing_checker_file_says_how_to_make_it(tmp_path: Path) -> None:
    from assistant.errors import ModelError

    with pytest.raises(ModelError, match="run make train"):
        AnswerChecker(tmp_path, tmp_path / "checker.safetensors")


def test_training_runs_end_to_end_on_a_slice(tmp_path: Path, embedder) -> None:
    """`make train`'s command on 22 questions of two training articles: it writes a checker, a scorer and a span
    reader that the answerer loads, with what they measured."""
    from assistant.answering.reader import FITTED_READER, SHIPPED_READER, SpanReader, load_gate

    done = run_cli("--articles", str(SLICE / "articles"), "--index", str(tmp_path / "index"), "train",
                   str(SLICE / "questions.jsonl"), "--out", str(tmp_path / "out"), "--epochs", "1", timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    scorer = load_scorer(tmp_path / "out" / FITTED.name)
    assert scorer.uses_checker and set(scorer.coefficients) == set(FEATURES)
    assert scorer.provenance["checker_read_tokens"] == READ_TOKENS
    measured = scorer.provenance["measured"]["out_of_fold"]
    assert measured["questions"]["answerable"] == 16 and measured["questions"]["unanswerable"] == 6
    assert (tmp_path / "out" / SHIPPED.name).stat().st_size < 5 * 1024 * 1024
    assert json.loads(done.stdout)["measured"]["in_sample"]["questions"]["other_paragraphs"] == 16
    gate = load_gate(tmp_path / "out" / FITTED_READER.name)
    assert gate.provenance["sentences"] == 16 and gate.provenance["measured_out_of_fold"]["sentences"] > 0
    assert (tmp_path / "out" / SHIPPED_READER.name).stat().st_size < 5 * 1024 * 1024
    reader = SpanReader(tmp_path / "models", tmp_path / "out" / SHIPPED_READER.name, gate)
    _, logits = reader.encoded("What consoles can play it?", [sentence("It runs on the GameCube and Wii.", 0, 0)])
    assert logits.shape[0] == 1 and logits.shape[-1] == 2  # a start and an end logit a token


def test_a_read_span_is_the_likeliest_start_and_end_within_the_sentence() -> None:
    """best_read decodes the head's logits: only the sentence's own tokens, the end never before the start."""
    import numpy as np

    from assistant.answering.reader import best_read

    class Encoding:  # [CLS] q [SEP] "Ann Lee won it" [SEP] + a token of the sentence before
        sequence_ids = (None, 0, None, 1, 1, 1, 1, 1, None)
        offsets = ((0, 0), (0, 3), (0, 0), (0, 3), (4, 7), (8, 11), (12, 14), (15, 20), (0, 0))

    logits = np.full((9, 2), -5.0)
    logits[3, 0], logits[4, 1] = 4.0, 4.0  # "Ann Lee"
    logits[1, 0] = logits[7, 1] = 9.0  # the question's token and the sentence before: never read
    found = best_read(logits, Encoding(), "Ann Lee won it")
    assert found is not None and (found.start, found.end) == (0, 7) and 0.5 < found.probability <= 1.0
    one = best_read(logits, Encoding(), "Ann Lee won it", longest=1)  # a span of one token at most
    assert one is not None and one.probability < found.probability and one.end - one.start == 3
    logits[5, 0] = 8.0  # the likeliest start ("won") now stands after the only likely end: never a backwards
    late = best_read(logits, Encoding(), "Ann Lee won it")  # span, and "Ann Lee" is now far less sure
    assert late is not None and (late.start, late.end) == (0, 7) and late.probability < 0.05


def test_the_shipped_reader_loads_and_reads_what_the_rules_cannot(embedder) -> None:
    """Exported on first use beside the checker; its cut and what it measured come from squad2-train."""
    import os

    from assistant.answering.reader import FITTED_READER, SHIPPED_READER, SpanReader, load_gate

    gate = load_gate()
    assert 0.0 < gate.threshold < 1.0 and gate.provenance["fitted_on"].startswith("squad2-train")
    measured = gate.provenance["measured_out_of_fold"]
    assert measured["exact_match_rules_then_reader"] > measured["exact_match_rules"]
    assert SHIPPED_READER.stat().st_size < 5 * 1024 * 1024 and FITTED_READER.is_file()
    reader = SpanReader(Path(os.environ["ASSISTANT_MODELS_DIR"]))
    found = sentence("The physicist Marie Curie discovered polonium and radium in 1898.", 0, 0)
    read = reader.read("What did Marie Curie discover?", found)  # "what" asks for no kind the rules know
    assert read is not None and found.text[read.start:read.end] == "polonium and radium"
    assert reader.path.is_file() and reader.path.name != AnswerChecker(reader.path.parent).path.name
    long = sentence("Marie Curie discovered " + "more and more " * 60 + "elements.", 0, 0)
    assert len(reader.encoded("What did Marie Curie discover?", [long])[0][0].ids) == MAX_TOKENS  # as trained
