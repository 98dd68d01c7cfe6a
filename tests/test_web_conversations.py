"""The conversations panel's handlers in-process, on a real SQLite book: kept after each answer, reopened
with each answer's own sources, renamed, deleted, exported, and never shown to another login."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from assistant.faces.web.conversations import ConversationsPanel
from assistant.store.conversations import ConversationBook

from .test_web_page import ANSWER

ANN, BOB = SimpleNamespace(username="ann"), SimpleNamespace(username="bob")


def panel(tmp_path: Path) -> ConversationsPanel:
    return ConversationsPanel(SimpleNamespace(conversations=ConversationBook(tmp_path / "conversations.sqlite")))


def answered(panel: ConversationsPanel, conversation, questions: list[str], request=ANN):
    history = []
    for q in questions:
        history += [{"role": "user", "content": q},  # as Gradio hands a message back: a list of parts
                    {"role": "assistant", "content": [{"type": "text", "text": f"answer to {q}"}]}]
    return panel.save(conversation, questions, history, f"<div>sources of {questions[-1]}</div>", ANSWER, request)


def test_each_answer_is_kept_and_the_conversation_reopens_with_its_own_sources(tmp_path):
    page = panel(tmp_path)
    conversation, listing, name, exported = answered(page, None, ["Who confirmed it?"])
    assert name == "Who confirmed it?" and listing["value"] == conversation and Path(exported).exists()
    assert [value for _, value in listing["choices"]] == [conversation]
    assert answered(page, conversation, ["Who confirmed it?", "When?"])[0] == conversation
    history, questions, shown, kept, opened, *_ = panel(tmp_path).open(conversation, ANN)  # a new page, a restart
    assert [m["content"] for m in history] == ["Who confirmed it?", "answer to Who confirmed it?", "When?",
                                               "answer to When?"]
    assert questions == ["Who confirmed it?", "When?"] and opened == conversation
    assert kept == {"1": "<div>sources of Who confirmed it?</div>", "3": "<div>sources of When?</div>"}
    assert shown == "<div>sources of When?</div>"


def test_a_refused_or_failed_question_is_not_kept(tmp_path):
    page = panel(tmp_path)
    assert page.save(None, [], [{"role": "assistant", "content": "Please correct"}], "", None, ANN)[0] == {
        "__type__": "update"}
    assert page.bot.conversations.list("ann") == []


def test_another_login_sees_an_empty_chat_and_its_own_list(tmp_path):
    page = panel(tmp_path)
    conversation = answered(page, None, ["Ann's question"])[0]
    history, questions, _, kept, opened, listing, name, export = page.open(conversation, BOB)
    assert (history, questions, kept, opened, name, export) == ([], [], {}, None, "", None)
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
