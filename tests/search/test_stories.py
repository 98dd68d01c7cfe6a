"""One story, many outlets: near-duplicates are found at index time, retrieval keeps one version of a
story, and the version kept names the others; the book follows every update and rebuilds when it must."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.faces.render import sources_html, sources_markdown, sources_text
from assistant.faces.web.articles import ARTICLE_HEADERS, article_rows
from assistant.records.article import Article, Carrier
from assistant.records.wire import answer_dict
from assistant.search.stories import StoryBook, carrier_of, signature, similarity

from ..conftest import STORY, make_bot, run_cli
from ..test_readme import blocks

POST = ("Mayor Ilse Brandt has ordered an independent review of all 14 city bridges on Thursday, three days after "
        "the Halden harbour bridge collapsed. The review will be led by the engineer Marta Koss and is due to "
        "report in March.")
WIRE = ("Mayor Ilse Brandt ordered an independent review of all 14 city bridges on Thursday, three days after the "
        "Halden harbour bridge collapsed. The review will be led by engineer Marta Koss and is due to report in "
        "March.")
OTHER = ("Divers recovered a lorry from the river on Wednesday as the toll of the Halden bridge collapse rose to "
         "six, the city's fire service said. Two people are still missing.")
ROWING = "The Halden rowing club was founded in 1896 and has trained three Olympic crews since then."


def article(article_id: str, text: str, source: str, date: str) -> Article:
    return Article(article_id, article_id.removesuffix(".md"), text, date, source, f"https://{source}.example/a")


def front_matter(title: str, source: str, date: str, text: str) -> str:
    return f"---\ntitle: {title}\ndate: {date}\nsource: {source}\n---\n{text}\n"


def test_wire_copies_are_near_duplicates_and_other_stories_are_not() -> None:
    assert similarity(signature(POST), signature(WIRE)) >= 0.6
    assert similarity(signature(POST), signature(OTHER)) < 0.2
    assert similarity(signature(POST), signature(POST.upper())) == 1.0  # case does not make another story


def test_a_book_groups_stories_and_names_the_other_carriers(tmp_path: Path) -> None:
    book = StoryBook(tmp_path / "stories.sqlite", 0.6)
    articles = [article("wire.md", WIRE, "Northern Wire", "2024-12-12"),
                article("post.md", POST, "Harbour Post", "2024-12-11"),
                article("divers.md", OTHER, "Harbour Post", "2024-12-11"),
                article("rowing.md", ROWING, "Halden Times", "2023-01-01")]
    book.update((), [(carrier_of(a), signature(a.text)) for a in articles], "stamp-1")
    assert book.story_of("wire.md") == book.story_of("post.md") != book.story_of("divers.md")
    assert [c.source for c in book.carriers("wire.md")] == ["Harbour Post"]
    assert book.carriers("divers.md") == [] and book.story_of("rowing.md") == "rowing.md"

    again = StoryBook.load(tmp_path / "stories.sqlite", 0.6)  # saved by update, read back alike
    assert again.stamp == "stamp-1" and again.carriers("post.md")[0].url == "https://Northern Wire.example/a"
    assert StoryBook.load(tmp_path / "stories.sqlite", 1.0).carriers("post.md") == []  # a stricter setting
    assert StoryBook.load(tmp_path / "stories.sqlite", 0.6, days=0).carriers("post.md") == []  # a day apart
    again.update(["wire.md"], [], "stamp-2")
    assert StoryBook.load(tmp_path / "stories.sqlite", 0.6).carriers("post.md") == []


def test_the_same_template_on_other_days_is_not_one_story(tmp_path: Path) -> None:
    """Daily items of one template (a weather report) share most 3-grams; days apart, they are no copies."""
    report = ("The forecast for Halden: cloudy with showers in the afternoon, winds from the west at {} km/h, "
              "a high of {} degrees and a low of {} degrees, the regional weather service said.")
    days = [article(f"weather-{d}.md", report.format(20 + d, 8 + d % 3, 2), "Halden Times", f"2024-12-{d:02d}")
            for d in (1, 2, 9)]
    book = StoryBook(tmp_path / "stories.sqlite", 0.6, days=3)
    book.update((), [(carrier_of(a), signature(a.text)) for a in days], "stamp")
    assert similarity(signature(days[0].text), signature(days[2].text)) >= 0.6  # one template
    assert book.story_of("weather-9.md") == "weather-9.md"  # a week later: its own story
    assert [c.article_id for c in book.carriers("weather-1.md")] == ["weather-2.md"]  # the next day: within 3


def test_grouping_finds_every_pair_that_shares_a_band_as_a_pairwise_check_would(tmp_path: Path) -> None:
    """The sorted-hash search for pairs in a band gives the stories a check of every pair gives."""
    rng = np.random.default_rng(5)
    signatures = {f"a{i:03d}": rng.integers(0, 2**32, 64, dtype=np.uint32) for i in range(120)}
    about = {}
    for n in range(150):  # near-copies of near-copies, some dated too far apart
        original = f"a{rng.integers(120):03d}" if n % 2 else f"c{rng.integers(max(n, 1)):03d}"
        copy = signatures.get(original, signatures["a000"]).copy()
        copy[rng.choice(64, rng.integers(0, 40), replace=False)] = rng.integers(0, 2**32, dtype=np.uint32)
        signatures[f"c{n:03d}"] = copy
        about[f"c{n:03d}"] = Carrier(f"c{n:03d}", "t", None, f"2024-12-{1 + n % 25:02d}" if n % 3 else None)
    book = StoryBook(tmp_path / "stories.sqlite", 0.6, "s", signatures, about, days=3)

    ids, parent = list(signatures), {i: i for i in signatures}
    for n, first in enumerate(ids):
        for second in ids[n + 1:]:
            shares_a_band = any((signatures[first][b:b + 4] == signatures[second][b:b + 4]).all()
                                for b in range(0, 64, 4))
            if shares_a_band and similarity(signatures[first], signatures[second]) >= 0.6 \
                    and book._close_in_time(first, second):
                a, b = _root(parent, first), _root(parent, second)
                parent[max(a, b)] = min(a, b)
    expected = {i: _root(parent, i) for i in ids}
    assert sum(story != i for i, story in expected.items()) > 10  # stories of several articles were made
    assert {i: book.story_of(i) for i in ids} == expected


def _root(parent: dict[str, str], i: str) -> str:
    while parent[i] != i:
        i = parent[i]
    return i


def test_a_missing_or_damaged_book_is_empty_and_bad_settings_are_named(tmp_path: Path) -> None:
    (tmp_path / "stories.sqlite").write_text("{nope")
    assert StoryBook.load(tmp_path / "stories.sqlite", 0.6).stamp == ""
    assert StoryBook.saved_stamp(tmp_path / "stories.sqlite") == ""
    StoryBook(tmp_path / "stories.sqlite", 0.6).update((), [], "rebuilt", replace=True)  # a rebuild replaces it
    assert StoryBook.saved_stamp(tmp_path / "stories.sqlite") == "rebuilt"
    assert StoryBook.load(tmp_path / "missing.json", 0.6).signatures == {}
    with pytest.raises(ValueError, match="near_duplicate_similarity=0"):
        StoryBook(tmp_path / "stories.sqlite", 0)


def test_retrieval_keeps_one_version_of_a_story_and_it_names_the_others(embedder, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "post.md").write_text(front_matter("Mayor orders review of every Halden bridge", "Harbour Post",
                                                 "2024-12-12", POST))
    (folder / "wire.md").write_text(front_matter("Halden mayor orders review of all city bridges", "Northern Wire",
                                                 "2024-12-12", WIRE))
    (folder / "divers.md").write_text(front_matter("Divers recover lorry", "Harbour Post", "2024-12-11", OTHER))
    (folder / "rowing.md").write_text(front_matter("Rowing club history", "Halden Times", "2023-01-01", ROWING))
    bot = make_bot(embedder, folder, tmp_path / "index")
    bot.update_index()

    passages = bot.retrieve("Who will lead the review of the Halden bridges?", k=4)
    ids = [p.article_id for p in passages]
    assert len(set(ids) & {"post.md", "wire.md"}) == 1  # never both copies
    [kept] = [p for p in passages if p.article_id in {"post.md", "wire.md"}]
    other = ({"post.md", "wire.md"} - {kept.article_id}).pop()
    assert [c.article_id for c in kept.carriers] == [other]
    assert all(not p.carriers for p in passages if p is not kept)

    (folder / "wire.md").unlink()  # an update in place forgets the copy
    bot.update_index()
    passages = bot.retrieve("Who will lead the review of the Halden bridges?", k=4)
    assert "post.md" in [p.article_id for p in passages] and all(not p.carriers for p in passages)

    (folder / "wire.md").write_text(front_matter("Halden mayor orders review", "Northern Wire", "2024-12-12", WIRE))
    bot.settings.stories_path.unlink()  # a lost book is signed again from the stored passages
    bot.update_index()
    passages = bot.retrieve("Who will lead the review of the Halden bridges?", k=4)
    assert len({p.article_id for p in passages} & {"post.md", "wire.md"}) == 1
    assert any(p.carriers for p in passages)


REVIEW = "Who ordered a review of all city bridges?"
REVIEWS = {"2024-12-12-review-harbour-post.md", "2024-12-12-review-wire.md"}


def test_an_answer_cites_one_version_of_a_story_and_says_who_else_carried_it(story_bot):
    answer = story_bot.ask(REVIEW)
    assert answer.short_answer.text == "Ilse Brandt"
    cited = {c.article_id for c in answer.citations} & REVIEWS
    assert len(cited) == 1 and not {p.article_id for p in answer.passages} >= REVIEWS
    citation = next(c for c in answer.citations if c.article_id in cited)  # it may quote that article twice
    [other] = citation.carried_by
    assert other.article_id in REVIEWS - cited and other.date == "2024-12-12"
    said = answer_dict(answer)["citations"][0]["also_carried_by"]
    assert said == [{"article_id": other.article_id, "title": other.title, "publisher": other.source,
                     "date": "2024-12-12", "url": other.url}]
    assert f"(also carried by {other.source}, 12 Dec 2024)" in sources_text(answer)
    assert f'href="{other.url}"' in sources_html(answer) and "also carried by" in sources_markdown(answer)
    unrelated = story_bot.ask("Who founded the Marren Rowing Club?")
    assert all(not c.carried_by for c in unrelated.citations)
    assert all("also_carried_by" in c and c["also_carried_by"] == [] for c in answer_dict(unrelated)["citations"])


@pytest.mark.e2e
def test_the_command_line_json_names_the_other_outlets_and_the_versions_that_differ(tmp_path: Path):
    shutil.copytree(STORY, tmp_path / "articles")
    base = ["--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index")]
    assert run_cli(*base, "index").returncode == 0
    asked = run_cli(*base, "ask", REVIEW, "--json")
    assert asked.returncode == 0, asked.stderr
    citation = next(c for c in json.loads(asked.stdout)["citations"] if c["article_id"] in REVIEWS)
    [other] = citation["also_carried_by"]
    assert {citation["article_id"], other["article_id"]} == REVIEWS
    assert {other["publisher"], citation["publisher"]} == {"Harbour Post", "Northern Wire"}
    printed = run_cli(*base, "ask", REVIEW)
    assert f"also carried by {other['publisher']}, 12 Dec 2024" in printed.stdout
    latest = json.loads(run_cli(*base, "ask", "What is the latest death toll from the Halden bridge collapse?",
                                "--json").stdout)  # sources that differ, in the same JSON
    [differ] = latest["disagreements"]
    assert differ["versions"][0] == {"value": "eight", "n": 1, "date": "2024-12-14", "publisher": "Coastal Herald",
                                     "article_id": "2024-12-14-toll-eight.md", "same": "8", "number": 8.0}
    assert differ["line"].startswith("Up from seven [5] (Valley Times, 13 Dec 2024); six [2]")
    assert differ["answered"] == "8" and differ["sources_differ"] is False
    [saturday] = latest["citations"][0]["dates"]  # "on Saturday" in the quote, dated from its article's day
    assert (saturday["text"], saturday["since"], saturday["until"]) == ("on Saturday", "2024-12-14", "2024-12-14")


@pytest.mark.e2e
def test_the_readme_examples_of_stories_disagreements_and_timelines_run_as_written(tmp_path: Path):
    heading = "One story, many outlets, and sources that differ"
    shutil.copytree(STORY, tmp_path / "tests" / "fixtures" / "story")
    base = ("--articles", "tests/fixtures/story", "--index", "story-index")
    assert run_cli(*base, "index", cwd=tmp_path).returncode == 0
    [command] = [shlex.split(line)[1:] for line in blocks("bash")[heading].splitlines()
                 if line.startswith("assistant ")]
    done = run_cli(*command, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "\nUp from seven [5] (Valley Times, 13 Dec 2024); six [2] (Coastal Herald, 11 Dec 2024); " in done.stdout
    ran = subprocess.run([sys.executable, "-c", blocks()[heading]], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300, env=os.environ.copy())
    assert ran.returncode == 0, ran.stderr[-3000:]
    differ, carried = ran.stdout.splitlines()
    assert differ.startswith("Up from seven [5] (Valley Times, 13 Dec 2024); six [2]")
    assert carried.startswith("[Carrier(article_id='2024-12-12-review-harbour-post.md'") and "'Harbour Post'" in carried

    timelines = "Timelines: how a story developed"  # on the same index, as the README runs them in order
    [command] = [shlex.split(line)[1:] for line in blocks("bash")[timelines].splitlines()
                 if line.startswith("assistant ")]
    done = run_cli(*command, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("9 Dec 2024: The Halden harbour bridge collapsed on Monday")
    assert "\nAs of 12 Dec 2024 · " in done.stdout
    ran = subprocess.run([sys.executable, "-c", blocks()[timelines]], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300, env=os.environ.copy())
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert ran.stdout.splitlines()[0].startswith("2024-12-09 The Halden harbour bridge collapsed")


def test_the_articles_tab_shows_the_versions_of_a_story_together(story_bot):
    rows = article_rows(story_bot)
    assert len(rows) == len(list(STORY.iterdir())) and all(len(row) == len(ARTICLE_HEADERS) for row in rows)
    files = [row[ARTICLE_HEADERS.index("File")] for row in rows]
    first, second = sorted(REVIEWS)
    assert files.index(second) == files.index(first) + 1  # side by side
    same = {row[ARTICLE_HEADERS.index("File")]: row[ARTICLE_HEADERS.index("Same story as")] for row in rows}
    assert same[first] == "" and same[second] == "Mayor orders review of every Halden bridge"  # its title
    assert sum(1 for v in same.values() if v) == 1
    assert {a["id"]: a["story"] for a in story_bot.articles()}[second] == first
