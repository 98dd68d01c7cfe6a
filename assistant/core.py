"""The façade: one object that owns the flow. The CLI, the web chat and Python users all come here."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .answering import ExtractiveAnswerer
from .answering.base import Answerer
from .answering.briefing import BriefingBuilder
from .answering.checker import AnswerChecker
from .answering.condense import Condenser
from .answering.coverage import answer_coverage
from .answering.hints import AnswerHints
from .answering.learned import FITTED, load_scorer
from .answering.llm.answerer import make_answerer
from .answering.reader import SpanReader
from .answering.reading import QueryReader
from .answering.timeline import TimelineBuilder
from .answering.weights import WEIGHTS, load_weights
from .embedders import Embedder, make_embedder, models_dir
from .errors import (
    AssistantError,
    BadValueError,
    IndexBusyError,
    IndexWriteError,
    LLMError,
    MissingFolderError,
    NotIndexedError,
    OwnerGone,
)
from .records.answer import Answer
from .records.article import Passage
from .records.events import AnswerEvent, Done, Status, final_answer
from .records.filters import Filters
from .records.query import Intent
from .records.reports import UpdateReport
from .search.hybrid import HybridRetriever
from .search.keywords import KeywordIndex
from .search.stories import StoryIndex
from .settings import Settings, api_keys_of, logins
from .store.chroma import ChromaStore, write_failure
from .store.conversations import ConversationBook
from .store.locking import writer_lock
from .store.manifest import Manifest
from .store.owner import ServerRecord, owner_of, update_through

if TYPE_CHECKING:  # LangChain's retriever, the indexer and the file readers are imported where used:
    from .ingest.feeds.poller import Feeds  # a cold `ask` needs none of them
    from .ingest.indexer import Progress
    from .ingest.uploads import StoredFile
    from .search.langchain import NewsRetriever


def _iso(day: str | date | None) -> str | None:
    return day.isoformat() if isinstance(day, date) else day


@dataclass
class IndexStatus:
    articles: int
    chunks: int
    stored_chunks: int
    model: str
    last_update: str | None
    consistent: bool  # manifest and store agree: same chunks, same completed update
    waiting: str | None = None  # never indexed: what waits in the articles folder ("1 file waiting in seeds")

    def to_dict(self) -> dict:
        return vars(self).copy()


class Assistant:
    """``Assistant(articles_dir="seeds", index_dir="index")``; any :class:`Settings` field is a keyword."""

    def __init__(self, settings: Settings | None = None, *, embedder: Embedder | None = None,
                 store: ChromaStore | None = None, keyword_index: KeywordIndex | None = None,
                 answerer: Answerer | None = None, **overrides) -> None:
        """Components may be handed in (a loaded embedder shared by several assistants, a test double
        for the answerer); whatever is not is built from the settings on first use."""
        if overrides:  # validated like any other settings, so a bad value is named in the error
            settings = Settings(**{**(settings.model_dump() if settings else {}), **overrides})
        self.settings = settings or Settings()
        self._update_lock = threading.Lock()
        given = {"embedder": embedder, "store": store, "keyword_index": keyword_index, "answerer": answerer}
        self.__dict__.update({name: part for name, part in given.items() if part is not None})

    @cached_property
    def embedder(self) -> Embedder:
        return make_embedder(self.settings)

    @cached_property
    def store(self) -> ChromaStore:
        return ChromaStore(self.settings)

    @cached_property
    def keyword_index(self) -> KeywordIndex:
        return KeywordIndex(self.settings.lexical_dir, self.store)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.embedder, self.store, self.keyword_index,
                               self.settings.candidates, self.settings.rrf_k, self.stories)

    @cached_property
    def stories(self) -> StoryIndex:
        return StoryIndex(self.settings.stories_path, self.settings.near_duplicate_similarity, self.store,
                          self.settings.near_duplicate_days)

    @cached_property
    def extractive(self) -> ExtractiveAnswerer:
        weights = load_weights(self.settings.answer_weights) if self.settings.answer_weights else WEIGHTS
        cut = self.settings.abstain_below
        if self.settings.answer_scorer == "rules":
            return ExtractiveAnswerer(self.embedder, self.settings.answer_sentences,
                                      weights if cut is None else replace(weights, abstain_below=cut))
        scorer = load_scorer()
        checker = AnswerChecker(models_dir(self.settings)) if scorer.uses_checker else None
        return ExtractiveAnswerer(self.embedder, self.settings.answer_sentences, weights,
                                  scorer=scorer if cut is None else replace(scorer, threshold=cut), checker=checker,
                                  reader=SpanReader(models_dir(self.settings)))

    @cached_property
    def answerer(self) -> Answerer:
        """The extractive answerer, or the configured LLM that falls back to it."""
        return make_answerer(self.settings, self.embedder, self.extractive)

    @cached_property
    def conversations(self) -> ConversationBook:
        """The web chat's kept conversations, in the index folder."""
        return ConversationBook(self.settings.conversations_path)

    @cached_property
    def timelines(self) -> TimelineBuilder:
        return TimelineBuilder(self.extractive, self.extractive.weights.abstain_below, self.settings.timeline_events,
                               passages=self.settings.timeline_passages)

    @cached_property
    def briefings(self) -> BriefingBuilder:
        return BriefingBuilder(self.extractive, self.extractive.weights.abstain_below, self.settings.briefing_stories)

    @cached_property
    def answerers(self) -> dict[Intent, Answerer]:
        """Which answerer answers a query, by what it asks for."""
        return {Intent.ANSWER: self.answerer, Intent.TIMELINE: self.timelines, Intent.BRIEFING: self.briefings}

    @cached_property
    def reader(self) -> QueryReader:
        """Reads each question once into the Query that retrieval and the answerers work from."""
        return QueryReader(self.settings, self.condenser)

    def timeline(self, topic: str, filters: Filters | None = None, as_of: str | date | None = None) -> Answer:
        """How ``topic`` developed: dated events oldest first, one cited sentence each (``answer.timeline``)."""
        return self.ask(f"Timeline of {topic.strip()}", filters=filters, as_of=as_of)

    def briefing(self, since: str | date | None = None, until: str | date | None = None, topic: str | None = None,
                 as_of: str | date | None = None, filters: Filters | None = None) -> Answer:
        """The stories of a period, each once, most carried and newest first, each told by its cited lead
        (``answer.briefing``); with ``topic``, that topic's stories oldest first with their developments.
        Without dates: the seven days up to ``as_of`` (default today) for all stories, every day for a topic."""
        given = filters or Filters()
        filters = replace(given, since=_iso(since) or given.since, until=_iso(until) or given.until)
        question = f"Catch me up on {topic.strip()}" if topic and topic.strip() else "What's new?"
        return self.ask(question, filters=filters, as_of=as_of)

    @cached_property
    def condenser(self) -> Condenser:
        return Condenser(self.settings)

    def waiting_first_index(self) -> str | None:
        """When this index was never built: what waits in the articles folder ("1 file waiting"), else None.
        A missing folder is an error that names it."""
        if self.settings.manifest_path.exists() or self.settings.chroma_url:
            return None
        if not self.settings.articles_dir.is_dir():
            raise MissingFolderError(f"articles folder {self.settings.articles_dir} does not exist, and no index "
                                     "was built here: give the folder with --articles (ASSISTANT_ARTICLES_DIR)")
        from .ingest.load import article_entries

        files = len(article_entries(self.settings.articles_dir))
        return f"{files:,} file{'' if files == 1 else 's'} waiting in {self.settings.articles_dir}"

    def refuse_if_owned(self) -> None:
        """IndexBusyError when another live server owns this index (a second ``serve`` would write beside it
        and take its record); a dead owner's record is cleared, and this process may take over."""
        owner, _ = owner_of(self.settings.index_dir)
        if owner is not None:
            raise IndexBusyError(f"the index {self.settings.index_dir} is served by process {owner.pid} at "
                                 f"{owner.url}; stop it first, or serve another --index")

    @contextmanager
    def owned_by_this_process(self, url: str) -> Iterator[ServerRecord]:
        """While the block runs, this process is the index's recorded owner (a serving process): updates
        asked by other processes (``assistant index``) come to it instead of writing beside it."""
        self.refuse_if_owned()
        record = ServerRecord(os.getpid(), url.rstrip("/"), time.strftime("%Y-%m-%d %H:%M:%S"))
        record.write(self.settings.index_dir)
        try:
            yield record
        finally:
            record.remove(self.settings.index_dir)

    def update_index(self, full: bool = False, progress: Progress | None = None,
                     waiting: Callable[[str], None] | None = None) -> UpdateReport:
        """Embed new and changed articles, drop deleted ones; ``full`` rebuilds everything.

        While ``assistant serve`` runs on this index, it owns the store: the update is run by that
        server (through its API) and this process never writes beside it. When another process is
        updating, ``waiting`` is told at once, and this update runs when that one is done."""
        from .ingest.indexer import Indexer

        owner, note = owner_of(self.settings.index_dir)
        if owner is not None:
            users = logins(self.settings.auth)  # a server with logins is reached with the first of them; one
            keys = api_keys_of(self.settings, [])  # with a key but no logins, as "api" with that key
            login = users[0] if users else ("api", keys[0]) if keys else None
            try:
                return update_through(owner, full, progress, login)
            except OwnerGone as gone:  # it died mid-update: this process runs the update itself
                ServerRecord.path(self.settings.index_dir).unlink(missing_ok=True)
                note = f"{gone}, so this process updated the index itself"
        try:
            with self._update_lock, writer_lock(self.settings.index_dir, self.settings.lock_timeout, waiting):
                report = Indexer(self.settings, self.embedder, self.store).run(full, progress)
        except AssistantError:
            raise
        except Exception as error:
            if (why := write_failure(error, self.settings.index_dir)) is None:
                raise
            raise IndexWriteError(f"the update could not write the index in {self.settings.index_dir} ({why}); "
                                  "questions are still answered from it, and the next update repairs what this "
                                  "one left half-written") from None
        report.note = "; ".join(filter(None, (note, report.note)))
        if report.added or report.updated:
            self.warm_checker()
        return report

    def warm_checker(self) -> None:
        """Export the answer checker now if it was never exported for this user (~10 s once, like the embedder),
        rather than at the first question."""
        if self.extractive.checker is not None:
            self.extractive.checker.session  # noqa: B018 - loads, exporting first when the cached file is missing or stale

    def retrieve(self, query: str, k: int | None = None, filters: Filters | None = None) -> list[Passage]:
        """The best passages for a search text; one longer than a question may be is refused, naming the limit."""
        if len(query) > self.settings.max_question_chars:
            raise BadValueError(f"the query is {len(query):,} characters long; the limit is "
                                f"{self.settings.max_question_chars:,} (setting max_question_chars)")
        return self.retriever.run(query, k or self.settings.k, filters)

    def ask(self, question: str, history: list[str] | None = None, k: int | None = None,
            filters: Filters | None = None, as_of: str | date | None = None) -> Answer:
        """Answer from the articles, citing each sentence; ``history`` holds earlier user questions.

        Time words in the question ("last week", "since Monday") narrow the dates, counted from ``as_of``
        (default today); with ``as_of``, articles published after it are left out (see :mod:`.timeframe`)."""
        return final_answer(self.ask_stream(question, history, k, filters, as_of))

    def ask_stream(self, question: str, history: list[str] | None = None, k: int | None = None,
                   filters: Filters | None = None, as_of: str | date | None = None) -> Iterator[AnswerEvent]:
        """:class:`Status` lines, :class:`TextDelta` pieces as the text is written, then :class:`Done` with
        the finished Answer (whose text replaces the pieces: markers are renumbered after checking).

        The conversation (``history``) helps find passages; the answer answers ``question`` itself."""
        query = self.reader.run(question, history, filters, as_of)
        if (waiting := self.waiting_first_index()) is not None:
            raise NotIndexedError(f"No articles indexed yet: {waiting}. Run `assistant index`, or press "
                                  "Update index on the page")
        answerer = self.answerers[query.intent]
        yield Status("Searching the articles")
        passages = self.retriever.search(query, answerer.passages_wanted(k or self.settings.k))
        yield Status(f"Reading {len(passages)} passage{'s' if len(passages) != 1 else ''}")
        hints = AnswerHints(self.settings, query.filters)
        for event in answerer.stream(query, passages):
            if isinstance(event, Done):  # so that an abstention is not mistaken for "not in the news"
                said = hints.for_answer(query, event.answer.abstained)
                event.answer.note = "; ".join(filter(None, (*query.notes, event.answer.note, *said)))
                event.answer.period = query.period
                event.answer.coverage = answer_coverage(event.answer)
            yield event

    def evaluate(self, questions_path: str | Path, k: int = 5):
        """Retrieval and answer quality on a JSONL questions file (see :mod:`assistant.answering.evaluate`)."""
        from .answering.evaluate import evaluate

        return evaluate(self, Path(questions_path), k)

    def check_llm(self) -> None:
        """Raise LLMError when the configured LLM cannot be used as configured (no model file, no model name):
        a command run by a person says so and stops, where a server answers without it and notes why."""
        from .answering.llm.backends import configuration_problem

        if (problem := configuration_problem(self.settings)) is not None:
            raise LLMError(problem)

    def train_answerer(self, questions: str | Path, out: str | Path | None = None, limit: int | None = None,
                       epochs: int = 2) -> dict:
        """Fit the answer checker and the learned scorer on a training set whose articles this assistant indexes
        (``make train``: squad2-train); writes them to ``out`` (default: the package, where they ship)."""
        from .answering.fit import train_all

        if limit is not None and limit < 1:
            raise BadValueError(f"limit={limit} must be at least 1")
        if epochs < 1:
            raise BadValueError(f"epochs={epochs} must be at least 1")
        return train_all(self, Path(questions), Path(out) if out else FITTED.parent, limit, epochs)

    def as_retriever(self, k: int | None = None, filters: Filters | None = None) -> NewsRetriever:
        """A LangChain ``BaseRetriever`` over the same hybrid retrieval."""
        from .search.langchain import NewsRetriever

        return NewsRetriever(retriever=self.retriever, k=k or self.settings.k, filters=filters)

    def status(self) -> IndexStatus:
        from .ingest.indexer import index_identity

        waiting = self.waiting_first_index()
        manifest = Manifest.load(self.settings.manifest_path)
        stored = self.store.count()
        same_update = manifest.updated_at == self.store.stamp()
        return IndexStatus(
            articles=len(manifest.articles),
            chunks=manifest.chunk_count,
            stored_chunks=stored,
            model=self.settings.embedding_model,
            last_update=manifest.updated_at,
            consistent=waiting is None and same_update and stored == manifest.chunk_count
            and manifest.identity in ({}, index_identity(self.settings)),
            waiting=waiting,
        )

    def articles(self) -> list[dict]:
        """Each indexed article; ``story`` is the id of the first article of the story it belongs to (itself
        unless another outlet ran the same story, see :mod:`.stories`)."""
        manifest = Manifest.load(self.settings.manifest_path)
        book = self.stories.current()
        return [{"id": k, **vars(v), "story": book.story_of(k)} for k, v in sorted(manifest.articles.items())]

    def article_text(self, article_id: str) -> str | None:
        """The whole text of an indexed article as it was read (a citation's ``article_id``); None when the
        index holds no such article."""
        entry = Manifest.load(self.settings.manifest_path).articles.get(article_id)
        return self.store.article_text(article_id, entry.chunks) if entry is not None and entry.chunks else None

    @property
    def articles_dir(self) -> Path:
        return self.settings.articles_dir

    def add_file(self, name: str, data: bytes) -> StoredFile:
        """Save an article file into the articles folder (checked like a web upload); index it with
        :meth:`update_index`."""
        from .ingest.uploads import store_upload

        return store_upload(self.settings.articles_dir, name, data, self.settings.max_upload_bytes)

    @cached_property
    def feeds(self) -> Feeds:
        """The feeds this index follows (kept in the index folder): ``add``, ``list``, ``remove``, ``poll``."""
        from .ingest.feeds.book import FeedShelf
        from .ingest.feeds.http import Fetcher
        from .ingest.feeds.poller import FeedPoller, Feeds

        poller = FeedPoller(FeedShelf(self.settings.index_dir), self.settings.articles_dir,
                            Fetcher.from_settings(self.settings), self.settings.feed_max_entries)
        return Feeds(poller, self.update_index)

    def add_url(self, url: str) -> StoredFile:
        """Fetch one page into the articles folder (an HTML page as its article with front matter, a PDF as
        it is), checked like an upload; index it with :meth:`update_index`. A page already there (a feed
        fetched it, or it was added before: the same link without tracking parameters) is not saved again."""
        from .ingest.feeds.book import FeedShelf
        from .ingest.feeds.http import Fetcher
        from .ingest.feeds.pages import stored_page
        from .ingest.load import url_key
        from .ingest.uploads import StoredFile

        shelf = FeedShelf(self.settings.index_dir)

        def already(link: str) -> StoredFile | None:
            known = shelf.read().urls.get(url_key(link) or "")
            if known and (self.settings.articles_dir / known).is_file():
                return StoredFile(known, f"{link} is already in the articles folder as {known}; nothing was saved",
                                  changed=False)
            return None

        if (found := already(url)) is not None:
            return found
        fetched = Fetcher.from_settings(self.settings).get(url)  # or FetchError, saying why
        if (found := already(fetched.url)) is not None:  # a redirect to a page already there
            return found
        stored = self.add_file(*stored_page(fetched))
        with shelf.editing() as book:  # a feed that links to it later stores no second copy
            book.urls.update({key: stored.name for key in {url_key(url), url_key(fetched.url)} if key})
        return stored
