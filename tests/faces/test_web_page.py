"""The web chat's handlers in-process, with a stand-in façade: what each one puts on the page.

`test_web.py` serves the real app over HTTP and `test_web_browser.py` drives it in Chromium; these run in
milliseconds and reach the failure paths a browser cannot easily provoke."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

from assistant.answering.citing import cite
from assistant.errors import UploadError
from assistant.faces.web.articles import ArticlesPage
from assistant.faces.web.chat import ChatPage
from assistant.records.answer import Answer, ShortAnswer
from assistant.records.article import Passage
from assistant.records.events import Done, Status, TextDelta
from assistant.records.reports import Problem, UpdateReport

QUOTE = "Sean Parnell confirmed the attack."
PASSAGE = Passage("a.md::0", "a.md", "Palmyra <b>attack</b>", "Before. " + QUOTE, 100, 142, [], 0.9,
                  date="2024-12-13", source="Wire")
ANSWER = Answer(
    text=f"Sean Parnell: {QUOTE} [1]",
    citations=[cite(1, PASSAGE, SimpleNamespace(start=108, end=142), 0.8)],
    abstained=False, passages=[PASSAGE], short_answer=ShortAnswer("Sean Parnell", 108, 120, 1))


class StandInAssistant:
    """Answers one way, stores uploads in memory, and can be told to fail."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.settings = SimpleNamespace(k=5, max_question_chars=2000, index_uploads=True)
        self.fail = fail
        self.asked: list[dict] = []
        self.saved: dict[str, bytes] = {}

    def ask_stream(self, question, history=None, k=None, filters=None, as_of=None):
        self.asked.append({"question": question, "history": list(history or []), "k": k, "filters": filters,
                           "as_of": as_of})
        yield Status("Searching the articles")
        if self.fail:
            raise self.fail
        yield TextDelta("Sean Parnell")
        yield Done(ANSWER)

    def ask(self, question, k=None, as_of=None):
        self.asked.append({"question": question, "k": k, "as_of": as_of})
        return ANSWER

    def article_text(self, article_id):
        return None

    def add_file(self, name, data):
        if not name.endswith(".md"):
            raise UploadError(f"{name}: .exe files are not articles")
        self.saved[name] = data
        return SimpleNamespace(message=f"{name} saved", changed=True)

    def update_index(self, full=False, progress=None, waiting=None):
        if self.fail:
            raise self.fail
        if waiting:
            waiting("Another update of the index is running (process 1); waiting up to 600 s…")
        if progress:
            progress(1, 2, "Embedding")
        return UpdateReport(added=1, problems=[Problem("bad.json", "bad.json is not valid JSON")])

    def status(self):
        return SimpleNamespace(articles=1, chunks=3, model="m", last_update=None, consistent=True)

    def articles(self):
        return [{"id": "a.md", "title": "A", "date": "2024-12-13", "chunks": 3, "source": "Wire", "story": "a.md"}]


def respond(page: ChatPage, message: str, history=(), questions=(), since="", until="", sources=None,
            as_of="") -> list:
    """Every step the page would show, copied as Gradio sends it (the handler reuses its history list)."""
    steps = page.respond(message, list(history), list(questions), 5, since, until, sources, as_of)
    return [([dict(m) for m in shown], *rest[:-1]) for shown, *rest in steps]  # all but the Answer kept


def test_answer_streams_status_then_text_then_the_cited_answer():
    bot = StandInAssistant()
    steps = respond(ChatPage(bot), "  Who confirmed it? ", questions=["Where was it?"])
    bubbles = [history[-1]["content"] for history, *_ in steps]
    assert bubbles[0] == "…" and bubbles[1] == "*Searching the articles…*" and bubbles[2] == "Sean Parnell"
    assert bubbles[-1].startswith("**Sean Parnell**: Sean Parnell confirmed the attack") and "\\[1\\]" in bubbles[-1]
    history, questions, sources, box = steps[-1]
    assert [m["role"] for m in history] == ["user", "assistant"] and box == ""
    assert questions == ["Where was it?", "Who confirmed it?"]  # the history the next question is read with
    assert bot.asked[0]["history"] == ["Where was it?"] and bot.asked[0]["question"] == "Who confirmed it?"
    assert QUOTE in sources and "<b>attack</b>" not in sources  # the title is shown as text, not as HTML


def test_empty_message_changes_nothing():
    bot = StandInAssistant()
    assert respond(ChatPage(bot), "   ", history=[{"role": "user", "content": "x"}])[-1][0] == [
        {"role": "user", "content": "x"}]
    assert bot.asked == []


def test_filters_from_the_options_reach_the_facade():
    bot = StandInAssistant()
    respond(ChatPage(bot), "Who?", since=" 2024-12 ", until="", sources=["Wire"])
    filters = bot.asked[0]["filters"]
    assert (filters.sources, filters.since, filters.until) == (("Wire",), "2024-12", None)


def test_as_of_from_the_options_reaches_the_facade_and_a_bad_one_is_named():
    bot = StandInAssistant()
    respond(ChatPage(bot), "What happened last week?", as_of=" 2024-12-15 ")
    assert bot.asked[0]["as_of"] == date(2024, 12, 15)
    [(history, _, _, box)] = respond(ChatPage(bot), "Who?", as_of="someday")
    assert len(bot.asked) == 1 and box == "Who?"
    assert history[-1]["content"].startswith("Please correct the options: “someday” in As of is not a date")
    assert ChatPage(bot).ask_api("Who?", 5, "2024-12-01") and bot.asked[-1]["as_of"] == "2024-12-01"


def test_a_bad_date_in_the_options_is_named_and_the_question_kept():
    bot = StandInAssistant()
    [(history, questions, _, box)] = respond(ChatPage(bot), "Who confirmed it?", since="yesterday")
    assert bot.asked == [] and questions == [] and box == "Who confirmed it?"
    said = history[-1]["content"]
    assert said.startswith("Please correct the options: “yesterday” in Since is not a date")


def test_a_failing_question_is_an_apology_not_a_crash():
    page = ChatPage(StandInAssistant(fail=RuntimeError("store <gone>")))
    *_, (history, questions, _, _) = respond(page, "Who?")
    assert history[-1]["content"].startswith("Sorry, this question failed")
    assert "store &lt;gone&gt;" in history[-1]["content"]  # the error is shown as text
    assert questions == ["Who?"]  # a failed question still counts as asked


def test_upload_saves_articles_and_names_each_refusal(tmp_path: Path):
    good, bad = tmp_path / "new.md", tmp_path / "tool.exe"
    good.write_text("# New\n\nText.")
    bad.write_bytes(b"MZ")
    bot = StandInAssistant()
    shown: list[str] = []
    message, cleared = ArticlesPage(bot).upload([str(good), str(bad), str(tmp_path / "missing.md")],
                                            progress=lambda fraction, desc: shown.append(desc))
    assert bot.saved == {"new.md": b"# New\n\nText."} and cleared is None
    assert "Saved: new.md saved" in message and "**Rejected:** tool.exe: .exe files are not articles" in message
    assert message.count("**Rejected:**") == 2  # an unreadable file is refused too
    assert "Done: 1 added" in message and "Embedding" in shown  # indexed at once, with progress


def test_upload_in_two_steps_when_asked(tmp_path: Path):
    (tmp_path / "new.md").write_text("# New\n\nText.")
    bot = StandInAssistant()
    bot.settings.index_uploads = False
    message, _ = ArticlesPage(bot).upload([str(tmp_path / "new.md")], progress=lambda *a, **k: None)
    assert "Press **Update index**" in message and "Done:" not in message


def test_update_reports_problems_and_a_failure_keeps_the_page_working():
    shown: list[str] = []
    message, rows, status, choices = ArticlesPage(StandInAssistant()).update(
        progress=lambda fraction, desc: shown.append(desc))
    assert shown == ["Another update of the index is running (process 1); waiting up to 600 s…", "Embedding"]
    assert message.startswith("Done: 1 added") and "- Skipped: bad.json is not valid JSON" in message
    assert rows == [["A", "2024-12-13", "Wire", 3, "a.md", ""]]
    assert "**1** article · **3** passages" in status and "last update never" in status
    assert choices["choices"] == [("Wire", "Wire")]  # the publishers; an article named by none, by its title
    message, *_ = ArticlesPage(StandInAssistant(fail=OSError("disk full"))).update(progress=lambda *a, **k: None)
    assert "The update failed" in message and "previous index was kept" in message and "disk full" in message


def test_update_api_relays_progress_then_the_report_or_the_error():
    events = list(ArticlesPage(StandInAssistant()).update_api(full=True))
    assert events[0] == {"done": 1, "total": 2, "message": "Embedding"}
    assert events[-1]["report"]["added"] == 1 and events[-1]["report"]["problems"][0]["path"] == "bad.json"
    assert list(ArticlesPage(StandInAssistant(fail=OSError("disk full"))).update_api()) == [{"error": "disk full"}]


def test_ask_api_returns_the_cli_json():
    data = ChatPage(StandInAssistant()).ask_api("Who confirmed it?", 3)
    assert data["short_answer"]["text"] == "Sean Parnell" and data["citations"][0]["quote"] == QUOTE
    assert data["citations"][0]["article_id"] == "a.md"


def test_an_overlong_question_is_refused_in_the_chat_and_kept_in_the_box():
    bot = StandInAssistant()
    long_question = "Who? " * 1000
    *_, (history, questions, _, box) = respond(ChatPage(bot), long_question)
    assert bot.asked == [] and questions == [] and box == long_question
    assert history == [{"role": "assistant",
                        "content": "Your question is 4,999 characters long; please keep it under 2,000."}]


def test_each_answer_keeps_its_sources_and_a_selected_answer_shows_them():
    history = [{"role": "user", "content": "Who?"}, {"role": "assistant", "content": "Parnell [1]"}]
    kept = ChatPage.keep(history, "<div>first</div>", {})
    assert kept == {"1": "<div>first</div>"}
    kept = ChatPage.keep([*history, {"role": "user", "content": "When?"}, {"role": "assistant", "content": "x"}],
                         "<div>second</div>", kept)
    assert ChatPage.sources_of(kept, SimpleNamespace(index=1)) == "<div>first</div>"
    assert ChatPage.sources_of(kept, SimpleNamespace(index=[3, None])) == "<div>second</div>"
    assert ChatPage.sources_of(kept, SimpleNamespace(index=0)) == {"__type__": "update"}  # a question: unchanged
    assert ChatPage.keep([{"role": "user", "content": "x"}], "<div>refused</div>", kept) == kept


def test_the_answer_is_handed_on_to_be_kept_with_its_conversation():
    *_, last = StandInAssistant().ask_stream("Who?")
    steps = list(ChatPage(StandInAssistant()).respond("Who?", [], [], 5, "", "", None, ""))
    assert steps[-1][-1] is last.answer and all(step[-1] is None for step in steps[:-1])


def test_filters_on_are_marked_over_the_chat_and_a_bad_date_is_named_as_typed():
    assert ChatPage.filters_on("", "", None, "") == ""
    marked = ChatPage.filters_on("2024-12", "", ["Wire"], "2024-12-15")
    assert marked == "**Filters on:** since 2024\\-12; only Wire; as of 2024\\-12\\-15"  # Markdown-escaped
    assert ChatPage.filters_on("yesterday", "", None, "") == (
        "**Options:** please correct this: “yesterday” in Since is not a date like 2024\\-12\\-31")
    # the page's names of its options, never the settings' (as_of='2026-13-40')
    assert "“2026\\-13\\-40” in As of is not a date" in ChatPage.filters_on("", "", None, "2026-13-40")
    wrong_way = ChatPage.filters_on("2024-12-20", "2024-12-10", None, "")
    assert "Since 2024\\-12\\-20 is after Until 2024\\-12\\-10" in wrong_way


def test_the_update_api_takes_a_real_boolean_and_a_full_rebuild_only_from_this_machine():
    from types import SimpleNamespace

    from assistant.faces.web.articles import ArticlesPage

    page = ArticlesPage.__new__(ArticlesPage)  # only update_api is used: it refuses before the façade
    remote, local = SimpleNamespace(client=SimpleNamespace(host="10.0.0.5")), None
    assert list(page.update_api("yes", local)) == [{"error": "full must be true or false, not 'yes'"}]
    assert list(page.update_api(1, local)) == [{"error": "full must be true or false, not 1"}]
    [refused] = list(page.update_api(True, remote))
    assert "from this machine only" in refused["error"] and "10.0.0.5" in refused["error"]


def test_an_identical_upload_reads_not_saved_and_indexes_nothing(tmp_path: Path):
    (tmp_path / "new.md").write_text("# New\n\nText.")
    bot = StandInAssistant()
    bot.add_file = lambda name, data: SimpleNamespace(message=f"{name}: an identical file is already there",
                                                      changed=False)
    message, _ = ArticlesPage(bot).upload([str(tmp_path / "new.md")], progress=lambda *a, **k: None)
    assert message.startswith("Not saved: new.md") and "Done:" not in message and "Saved:" not in message


def test_the_source_filter_lists_publishers_and_articles_by_title(seed_bot, story_bot):
    """Names a reader knows, never file paths: the publishers, then each article that names none, by title."""
    from assistant.faces.web.articles import source_choices

    assert source_choices(seed_bot) == [("Coalition strikes syria (article)", "coalition-strikes-syria.txt")]
    labels = [label for label, _ in source_choices(story_bot)]
    assert "Harbour Post" in labels and not any(label.endswith(".md") for label in labels)


def test_regenerate_and_an_edited_question_rewind_the_chat_to_that_question():
    page = ChatPage(StandInAssistant())
    history = respond(page, "Who confirmed the attack?")[-1][0]
    history = respond(page, "When [did] it *happen*?", history, ["Who confirmed the attack?"])[-1][0]
    questions = ["Who confirmed the attack?", "When [did] it *happen*?"]
    kept = {"1": "<first sources>", "3": "<second sources>"}
    shown, asked, earlier, box, replacing = page.asked_again(history, questions, kept,
                                                             SimpleNamespace(index=2, value=history[2]["content"]))
    assert (len(shown), asked, earlier, box, replacing) == (2, questions[:1], {"1": "<first sources>"}, questions[1], 1)
    edit = SimpleNamespace(index=0, value=[{"type": "text", "text": r"Who \*denied\* the attack?"}], previous_value="")
    shown, asked, earlier, box, replacing = page.edited(history, questions, kept, edit)
    assert (shown, asked, earlier, box, replacing) == ([], [], {}, "Who *denied* the attack?", 0)  # as typed
