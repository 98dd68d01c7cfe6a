"""A question in another language is recognised (so an abstention can say why); English never is."""

from __future__ import annotations

import json

import pytest

from assistant.text.language import foreign_language

from ..conftest import ROOT


@pytest.mark.parametrize(("question", "language"), [
    ("¿Quién confirmó el ataque de Palmira?", "Spanish"),
    ("Qui a confirmé l'attaque de Palmyre ?", "French"),
    ("Wer hat den Angriff auf Palmyra bestätigt?", "German"),
    ("Chi ha confermato l'attacco?", "Italian"),
])
def test_other_languages_are_named(question, language):
    assert foreign_language(question) == language


def test_english_questions_are_never_taken_for_another_language():
    paths = [ROOT / "tests" / "seed_questions.jsonl", ROOT / "benchmarks" / "seed_questions.jsonl"]
    questions = [json.loads(line)["question"] for path in paths for line in path.read_text().splitlines() if line]
    questions += ["Who is the mayor of the town?", "Did the army retreat after the coup?", "When did it happen?"]
    assert [q for q in questions if foreign_language(q)] == []


def test_a_question_in_spanish_that_abstains_says_why(seed_bot):
    answer = seed_bot.ask("¿Quién ganó las elecciones en Noruega?")
    assert answer.abstained and "looks Spanish" in answer.note and "English only" in answer.note
    assert "English only" not in seed_bot.ask("Who won the election in Norway?").note


def test_an_english_question_does_not_load_other_languages(monkeypatch):
    from assistant.text import language

    asked: list[str] = []
    real = language.zipf
    monkeypatch.setattr(language, "zipf", lambda word, lang="en": asked.append(lang) or real(word, lang))
    assert foreign_language("Who was the mayor of the harbour town in the storm?") is None
    assert set(asked) == {"en"}
