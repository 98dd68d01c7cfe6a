"""What the page shows: article text escaped everywhere, the quote marked inside its passage."""

from __future__ import annotations

from assistant.answering.coverage import answer_coverage
from assistant.faces.render import (
    MarkdownStream,
    answer_markdown,
    chat_answer,
    chat_cited,
    chat_text,
    counted,
    markdown_safe,
    sources_html,
)
from assistant.records.answer import Answer, Citation
from assistant.records.article import Passage, Span
from assistant.records.dates import local_time

EVIL = 'Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [link](javascript:x) *bold*'


def citation(**kw) -> Citation:
    passage = "Before. " + EVIL + " After."
    start = len("Before. ")
    base = dict(n=1, title="T <b>x</b>", article_id="a.md", quote=EVIL, start=100 + start, end=100 + start + len(EVIL),
                score=0.9, passage=passage, passage_start=100, url="javascript:alert(1)")
    return Citation(**(base | kw))


def test_chat_text_has_no_markup():
    text = chat_text(EVIL)
    assert "<" not in text and ">" not in text.replace("&gt;", "")
    assert "\\[link\\]\\(javascript:x\\)" in text and "\\*bold\\*" in text


def test_sources_escape_everything_and_mark_the_quote():
    page = sources_html(Answer("x [1]", [citation()], False, []))
    assert "<script>" not in page and "<img" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;" in page and "T &lt;b&gt;x&lt;/b&gt;" in page
    assert "<mark>Hi &lt;script&gt;" in page and "Before. <mark>" in page
    assert "href" not in page  # a non-http URL is shown as text, never as a link


def test_http_urls_become_safe_links():
    page = sources_html(Answer("x", [citation(url='https://e.com/a?b="c"')], False, []))
    assert 'href="https://e.com/a?b=&quot;c&quot;"' in page and 'rel="noopener noreferrer nofollow"' in page


def test_uncited_passages_are_collapsed():
    other = Passage("b.md::0", "b.md", "Other", "Other text.", 0, 11, [Span(0, 11)], 0.01)
    page = sources_html(Answer("The indexed articles don't say.", [], True, [other]))
    assert "<details>" in page and "Other text." in page and "No passage answers" in page
    assert "1 other retrieved passage</summary>" in page and "(s)" not in page  # said as people write it


def test_chat_answer_shows_notes_and_unverified_sentences():
    answer = Answer("A [1].", [citation()], False, [], note="LLM unreachable", unverified=["B <i>."])
    shown = chat_answer(answer)
    assert "LLM unreachable" in shown and "B &lt;i&gt;." in shown


def test_counts_and_times_read_as_people_write_them():
    assert (counted(1, "article"), counted(5, "passage")) == ("**1** article", "**5** passages")
    assert local_time(None) == "never" and local_time("soon") == "soon"
    shown = local_time("2026-11-26T12:58:07.123456+00:00")
    assert len(shown) == len("2026-11-26 12:58") and shown.startswith("2026-11-2") and "." not in shown


def test_markdown_safe_keeps_markers_and_disarms_html_links_and_images():
    text = markdown_safe("A <img src=x> [link](http://e) ![i](y) said [1]; [2](http://e) [1, 2]")
    assert "[1];" in text and "[1, 2]" in text
    assert "\\<img" in text and "\\[link\\](http" in text and "!\\[i\\]" in text
    assert "[2]\\(http://e)" in text  # a kept marker followed by "(" is no link


def test_markdown_stream_keeps_markers_split_across_pieces():
    whole = "Parnell confirmed it [12]. The <b>strike</b> [3](x) ended [4]"
    for size in (1, 2, 5):
        stream = MarkdownStream()
        pieces = [stream.feed(whole[i:i + size]) for i in range(0, len(whole), size)]
        assert "".join(pieces) + stream.flush() == markdown_safe(whole)


def test_api_answer_ends_with_escaped_sources():
    text = answer_markdown(Answer("Hi [1].", [citation(url="https://e.com/a", publisher="Wire")], False, []))
    assert text.startswith("Hi [1].\n\nSources:\n\n[1] T \\<b>x\\</b> (Wire, https://e.com/a)\n> “Hi \\<script>")
    assert "\\[link\\](javascript:x)" in text
    assert "javascript:alert" not in answer_markdown(Answer("Hi [1].", [citation()], False, []))


def test_each_list_names_its_own_score():
    other = Passage("b.md::0", "b.md", "Other", "Other text.", 0, 11, [Span(0, 11)], 0.016)
    page = sources_html(Answer("x [1]", [citation()], False, [other]))
    assert "answer score 0.90" in page and "rank score 0.016" in page and "· score" not in page


def test_chat_text_leaves_no_bare_url_or_email_to_autolink():
    text = chat_text("See http://x.org, www.y.org or a@b.org at 10:30.")
    assert "http\\://x.org" in text and "www\\.y.org" in text and "a\\@b.org" in text and "10:30" in text


def test_a_dated_answer_says_how_current_it_is_everywhere_and_an_undated_one_does_not():
    dated = [citation(n=1, date="2024-12-12", publisher="Wire", article_id="a.md"),
             citation(n=2, date="2024-12-14", publisher="Herald", article_id="b.md")]
    answer = Answer("Eight [1] [2].", dated, False)
    answer.coverage = answer_coverage(answer)
    line = "As of 14 Dec 2024 · 2 articles from 2 publishers, 12–14 Dec 2024"
    assert f"*{chat_text(line)}*" in chat_answer(answer)
    assert f"\n\n{line}\n\n" in answer_markdown(answer)
    undated = Answer("Eight [1].", [citation()], False)
    assert "As of" not in chat_answer(undated) and "As of" not in answer_markdown(undated)


def test_each_citation_marker_in_a_bubble_links_to_its_source_and_the_rest_stays_text():
    bubble = chat_cited("Parnell <b>said</b> [1]. Both [2, 3] (see www.x.org)")
    assert bubble == ("Parnell &lt;b&gt;said&lt;/b&gt; [\\[1\\]](#source-1). Both [\\[2\\]](#source-2)"
                      "[\\[3\\]](#source-3) \\(see www\\.x.org\\)")
