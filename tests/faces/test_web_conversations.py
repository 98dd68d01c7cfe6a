"""The conversations panel's handlers in-process, on a real SQLite book: kept after each answer, reopened
with each answer's own sources, renamed, deleted, exported, and never shown to another login."""

from __future__ import annotations

import inspect
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from assistant.faces.render import chat_answer, sources_html
from assistant.faces.web.conversations import ConversationsPanel
from assistant.records.answer import Answer, Citation
from assistant.store.conversations import ConversationBook

from .test_web_page import ANSWER

ANN, BOB = SimpleNamespace(username="ann"), SimpleNamespace(username="bob")


def panel(tmp_path: Path) -> ConversationsPanel:
    return ConversationsPanel(SimpleNamespace(conversations=ConversationBook(tmp_path / "conversations.sqlite"),
                                              settings=SimpleNamespace(index_dir=tmp_path),
                                              article_text=lambda article_id: None))


def answer_to(question: str) -> Answer:
    return replace(ANSWER, question=question)


def answered(panel: ConversationsPanel, conversation, questions: list[str], request=ANN):
    return panel.save(conversation, questions, answer_to(questions[-1]), None, request)


def test_each_answer_is_kept_and_the_conversation_reopens_with_its_own_sources(tmp_path):
    page = panel(tmp_path)
    conversation, listing, name, exported, replacing = answered(page, None, ["Who confirmed it?"])
    assert name == "Who confirmed it?" and listing["value"] == conversation and Path(exported).exists()
    assert replacing is None  # a turn asked again has taken its place
    assert [value for _, value in listing["choices"]] == [conversation]
    assert answered(page, conversation, ["Who confirmed it?", "When?"])[0] == conversation
    history, questions, shown, kept, opened, *_ = panel(tmp_path).open(conversation, ANN)  # a new page, a restart
    first, second = answer_to("Who confirmed it?"), answer_to("When?")
    assert [m["content"] for m in history] == ["Who confirmed it?", chat_answer(first), "When?", chat_answer(second)]
    assert questions == ["Who confirmed it?", "When?"] and opened == conversation
    assert kept == {"1": sources_html(first), "3": sources_html(second)} and shown == sources_html(second)


def test_a_refused_or_failed_question_is_not_kept(tmp_path):
    page = panel(tmp_path)
    assert page.save(None, [], None, None, ANN)[0] == {"__type__": "update"}
    assert page.bot.conversations.list("ann") == []


def test_another_login_sees_an_empty_chat_and_its_own_list(tmp_path):
    page = panel(tmp_path)
    conversation = answered(page, None, ["Ann's question"])[0]
    history, questions, _, kept, opened, listing, name, export, replacing = page.open(conversation, BOB)
    assert (history, questions, kept, opened, name, export, replacing) == ([], [], {}, "none", "", None, None)
    assert listing["choices"] == []


def test_rename_delete_and_export(tmp_path):
    page = panel(tmp_path)
    conversation = answered(page, None, ["Who confirmed the Palmyra attack?"])[0]
    listing, export = page.rename(conversation, "Palmyra", ANN)
    assert listing["choices"][0][0].startswith("Palmyra · ")
    assert Path(export).name == "Palmyra.md"
    text = Path(export).read_text()
    assert text.startswith("# Palmyra\n") and "## Who confirmed the Palmyra attack?" in text
    assert "Sean Parnell confirmed the attack. [1]" in text and "Sources:" in text  # numbered citations
    assert page.rename(conversation, "Stolen", BOB) and page.bot.conversations.get("ann", conversation).title == (
        "Palmyra")
    history, *_ = page.delete(conversation, ANN)
    assert history == [] and page.bot.conversations.list("ann") == []


def test_what_is_kept_is_made_from_the_server_s_answer_never_from_the_browser(tmp_path):
    """A browser cannot hand the panel HTML to keep: the bubble and sources are rendered from the Answer the
    server gave, article text escaped, so a forged turn cannot run script in another page."""
    assert "history" not in inspect.signature(ConversationsPanel.save).parameters
    evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    citation = Citation(1, f"Title {evil}", "a.md", f"Quote {evil}.", 0, 10, 0.9, passage=f"Quote {evil}.")
    page = panel(tmp_path)
    said = Answer(f"Said {evil} [1]", [citation], False, question="Who?")
    conversation = page.save(None, ["Who?"], said, None, ANN)[0]
    [turn] = page.bot.conversations.turns("ann", conversation)
    for kept in (turn.bubble, turn.sources):
        assert "<img" not in kept and "<script" not in kept and "&lt;img" in kept


def test_an_export_is_private_inside_the_index_folder_and_goes_with_its_conversation(tmp_path):
    page = panel(tmp_path)
    conversation, _, _, exported, _ = answered(page, None, ["Who confirmed it?"])
    path = Path(exported)
    assert path.parent == tmp_path / "exports" / conversation
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    page.delete(conversation, BOB)  # another login's delete touches nothing
    assert path.exists()
    page.delete(conversation, ANN)
    assert not path.parent.exists()


def test_thumbs_on_an_answer_are_kept_exported_and_listed_for_learning(tmp_path):
    import sqlite3

    page = panel(tmp_path)
    conversation = answered(page, None, ["Who confirmed it?"])[0]
    answered(page, conversation, ["Who confirmed it?", "When?"])
    history = page.open(conversation, ANN)[0]
    shown = [{"role": m["role"], "content": [{"type": "text", "text": m["content"]}]} for m in history]  # as sent back
    exported = page.rate(conversation, shown, SimpleNamespace(index=3, liked=False), ANN)
    assert "*Rated not helpful*" in Path(exported).read_text(encoding="utf-8")
    page.rate(conversation, shown, SimpleNamespace(index=1, liked=True), ANN)
    rated = page.bot.conversations.ratings("ann")
    assert [(r["question"], r["rating"], r["position"]) for r in rated] == [("Who confirmed it?", "up", 0),
                                                                            ("When?", "down", 1)]
    assert "[1]" in rated[0]["answer"]  # the answer as exported, with its citations
    assert page.bot.conversations.ratings("bob") == []
    assert page.rate(conversation, shown, SimpleNamespace(index=1, liked=True), BOB) == {"__type__": "update"}
    assert page.rate(conversation, shown, SimpleNamespace(index=0, liked=True), ANN) == {"__type__": "update"}
    page.rate(conversation, shown, SimpleNamespace(index=1, liked=""), ANN)  # taken back
    assert [r["question"] for r in page.bot.conversations.ratings("ann")] == ["When?"]
    with sqlite3.connect(tmp_path / "old.sqlite") as db:  # a book made before ratings were kept
        db.executescript("CREATE TABLE turns (conversation TEXT NOT NULL, position INTEGER NOT NULL, question TEXT "
                         "NOT NULL, bubble TEXT NOT NULL, sources TEXT NOT NULL, markdown TEXT NOT NULL, asked TEXT "
                         "NOT NULL, PRIMARY KEY (conversation, position));")
    assert ConversationBook(tmp_path / "old.sqlite").ratings("ann") == []


def test_the_list_narrows_to_the_conversations_that_hold_every_word_typed(tmp_path):
    page = panel(tmp_path)
    festival = answered(page, None, ["Who opened the lantern festival?"])[0]
    harbour = answered(page, None, ["When did the harbour reopen?"])[0]
    answered(page, None, ["Bob's festival question"], BOB)
    assert [v for _, v in page.searched("FESTIVAL", None, ANN)["choices"]] == [festival]  # case folded, Ann's only
    assert [v for _, v in page.searched("harbour reopen", harbour, ANN)["choices"]] == [harbour]
    assert page.searched("harbour reopen", harbour, ANN)["value"] == harbour
    assert page.searched("festival harbour", None, ANN)["choices"] == []  # every word must be there
    assert len(page.searched("parnell", None, ANN)["choices"]) == 2  # words of the answers count too
    assert [v for _, v in page.searched("", None, ANN)["choices"]] == [harbour, festival]


def test_an_answer_asked_again_is_kept_in_the_place_of_the_old_one(tmp_path):
    page = panel(tmp_path)
    conversation = answered(page, None, ["Who confirmed it?"])[0]
    answered(page, conversation, ["Who confirmed it?", "When?"])
    page.save(conversation, ["Who denied it?"], answer_to("Who denied it?"), 0, ANN)  # the first question, edited
    history = page.open(conversation, ANN)[0]
    assert [m["content"] for m in history][::2] == ["Who denied it?"]
    assert "Who denied it?" in Path(page._export_file("ann", conversation)).read_text(encoding="utf-8")


def test_the_list_keeps_to_the_words_searched_for_after_an_answer_a_rename_or_a_new_conversation(tmp_path):
    page = panel(tmp_path)
    festival = answered(page, None, ["Who opened the lantern festival?"])[0]
    answered(page, None, ["When did the harbour reopen?"])
    listed = page.save(festival, ["Who opened the lantern festival?", "How many came?"], answer_to("How many came?"),
                       None, ANN, "festival")[1]
    assert [v for _, v in listed["choices"]] == [festival]
    assert [v for _, v in page.rename(festival, "Lanterns", ANN, "festival")[0]["choices"]] == [festival]
    assert [v for _, v in page.open(festival, ANN, "festival")[5]["choices"]] == [festival]
    assert [v for _, v in page.new(ANN, "festival")[5]["choices"]] == [festival]
