"""Kept conversations in SQLite: per owner, in order, renamed, deleted, exported, kept across restarts."""

from __future__ import annotations

import pytest

from assistant.store.conversations import ConversationBook, title_of


def add(book: ConversationBook, owner: str, conversation: str | None, question: str) -> str:
    return book.add(owner, conversation, question, f"**bubble** {question}", f"<div>{question}</div>",
                    f"Answer to {question} [1]\n\nSources:\n\n[1] A (https://example.org/a)")


def test_turns_are_kept_in_order_and_survive_a_new_book_on_the_same_file(tmp_path):
    book = ConversationBook(tmp_path / "index" / "conversations.sqlite")
    first = add(book, "", None, "Who confirmed the Palmyra attack?")
    assert add(book, "", first, "When did it happen?") == first
    again = ConversationBook(tmp_path / "index" / "conversations.sqlite")  # as after a restart
    turns = again.turns("", first)
    assert [t.question for t in turns] == ["Who confirmed the Palmyra attack?", "When did it happen?"]
    assert turns[1].sources == "<div>When did it happen?</div>" and turns[1].asked
    [listed] = again.list("")
    assert (listed.title, listed.turns) == ("Who confirmed the Palmyra attack?", 2)


def test_owners_never_see_each_others_conversations(tmp_path):
    book = ConversationBook(tmp_path / "c.sqlite")
    anns = add(book, "ann", None, "Ann's question")
    assert book.list("bob") == [] and book.turns("bob", anns) == [] and book.markdown("bob", anns) == ""
    bobs = add(book, "bob", anns, "Bob's question")  # Bob cannot append to Ann's conversation
    assert bobs != anns and [t.question for t in book.turns("ann", anns)] == ["Ann's question"]
    book.rename("bob", anns, "taken")
    book.delete("bob", anns)
    assert book.get("ann", anns).title == "Ann's question"


def test_newest_first_rename_and_delete(tmp_path):
    book = ConversationBook(tmp_path / "c.sqlite")
    older = add(book, "", None, "First")
    newer = add(book, "", None, "Second")
    assert [c.id for c in book.list("")] == [newer, older]
    add(book, "", older, "First, again")
    assert [c.id for c in book.list("")] == [older, newer]  # continued last: listed first
    book.rename("", older, "  Palmyra   attack ")
    assert book.get("", older).title == "Palmyra attack"
    with pytest.raises(ValueError, match="cannot be empty"):
        book.rename("", older, "  ")
    book.delete("", older)
    assert [c.id for c in book.list("")] == [newer] and book.turns("", older) == []


def test_a_deleted_conversation_continued_starts_a_new_one(tmp_path):
    book = ConversationBook(tmp_path / "c.sqlite")
    gone = add(book, "", None, "First")
    book.delete("", gone)
    assert add(book, "", gone, "Second") != gone


def test_markdown_export_has_the_questions_answers_citations_and_links(tmp_path):
    book = ConversationBook(tmp_path / "c.sqlite")
    conversation = add(book, "", None, "Who [x](http://evil) confirmed # it?")
    add(book, "", conversation, "When?")
    text = book.markdown("", conversation)
    assert text.startswith("# Who \\[x\\](http://evil) confirmed \\# it?\n\n*2 questions, started ")
    assert "## When?\n\nAnswer to When? [1]" in text and "[1] A (https://example.org/a)" in text


def test_titles_are_cut_at_a_word_and_the_browser_secret_is_stable(tmp_path):
    assert title_of("  Who   confirmed it? ") == "Who confirmed it?"
    long = title_of("word " * 40)
    assert long.endswith("…") and len(long) <= 81 and "wor…" not in long
    book = ConversationBook(tmp_path / "c.sqlite")
    assert book.browser_secret() == ConversationBook(tmp_path / "c.sqlite").browser_secret()
    assert len(book.browser_secret()) >= 24


def test_a_question_asked_again_takes_the_place_of_its_turn_and_drops_the_later_ones(tmp_path):
    book = ConversationBook(tmp_path / "c.sqlite")
    kept = add(book, "ann", None, "Who confirmed it?")
    for question in ("When?", "Where?"):
        add(book, "ann", kept, question)
    assert book.add("ann", kept, "When did it happen?", "b", "s", "m", replacing=1) == kept  # edited, sent again
    assert [t.question for t in book.turns("ann", kept)] == ["Who confirmed it?", "When did it happen?"]
    book.add("ann", kept, "When did it happen?", "again", "s", "m", replacing=1)  # regenerated
    assert [t.bubble for t in book.turns("ann", kept)][1:] == ["again"]
    assert book.add("bob", kept, "Bob's", "b", "s", "m", replacing=0) != kept  # not his: a new one of his own
    assert len(book.turns("ann", kept)) == 2
    book.add("ann", kept, "Who denied it?", "b", "s", "m", replacing=0)  # named after its first question
    assert book.get("ann", kept).title == "Who denied it?"
    book.rename("ann", kept, "Palmyra")
    book.add("ann", kept, "Who saw it?", "b", "s", "m", replacing=0)  # a name given is kept
    assert book.get("ann", kept).title == "Palmyra"
