"""Kept conversations: each question with its answer as the chat showed it, in a SQLite file in the index
folder, so a conversation survives a reload and a restart. Every call names the owner (the login, or ""
without one) and sees only that owner's conversations, so users of one server never see each other's."""

from __future__ import annotations

import builtins
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import BadValueError
from ..records.dates import local_time

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations (owner, updated);
CREATE TABLE IF NOT EXISTS turns (
    conversation TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE, position INTEGER NOT NULL,
    question TEXT NOT NULL, bubble TEXT NOT NULL, sources TEXT NOT NULL, markdown TEXT NOT NULL,
    asked TEXT NOT NULL, PRIMARY KEY (conversation, position));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
TITLE_CHARS = 80
RATINGS = {"up": "helpful", "down": "not helpful"}  # a reader's thumbs on an answer, as kept and as exported


@dataclass(frozen=True)
class Turn:
    """One question and its answer, rendered as they were shown: the chat bubble (Markdown), the sources
    panel (HTML, article text escaped) and the answer as Markdown for an export."""

    question: str
    bubble: str
    sources: str
    markdown: str
    asked: str = ""
    rating: str = ""  # "up", "down", or "" (not rated): see :meth:`ConversationBook.rate`


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    created: str
    updated: str
    turns: int


def _now() -> str:
    return datetime.now(UTC).isoformat()


def title_of(question: str) -> str:
    """A new conversation is named after its first question, cut at a word."""
    text = " ".join(question.split())
    return text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"


class ConversationBook:
    """The kept conversations of one index. A connection per call: Gradio runs handlers in threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.execute("PRAGMA foreign_keys = ON")
            db.executescript(SCHEMA)
            if "rating" not in {row[1] for row in db.execute("PRAGMA table_info(turns)")}:  # a book made before
                db.execute("ALTER TABLE turns ADD COLUMN rating TEXT NOT NULL DEFAULT ''")
            with db:  # one transaction: committed, or rolled back on an error
                yield db

    def browser_secret(self) -> str:
        """The key the page encrypts the browser's "open conversation" with: kept here, so that a browser
        still finds its conversation after the server restarts."""
        with self._db() as db:
            db.execute("INSERT OR IGNORE INTO meta VALUES ('browser_secret', ?)", (secrets.token_urlsafe(24),))
            return db.execute("SELECT value FROM meta WHERE key = 'browser_secret'").fetchone()[0]

    def add(self, owner: str, conversation: str | None, question: str, bubble: str, sources: str,
            markdown: str, replacing: int | None = None) -> str:
        """Append a turn (see :class:`Turn`); a conversation that is missing (none yet, or deleted meanwhile)
        is started anew. ``replacing``: the position of the turn this one takes the place of, a question asked
        again (regenerated, or edited and sent again); that turn and every later one are dropped, as the chat
        drops them. Returns the conversation's id."""
        turn = Turn(question, bubble, sources, markdown)
        now = _now()
        with self._db() as db:
            if not conversation or not self._owns(db, owner, conversation):
                conversation = uuid.uuid4().hex
                db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?)",
                           (conversation, owner, title_of(turn.question), now, now))
            elif replacing is not None:
                first = db.execute("SELECT question FROM turns WHERE conversation = ? AND position = 0",
                                   (conversation,)).fetchone() if replacing == 0 else None
                if first:  # named after its first question, unless renamed: now after the new one
                    db.execute("UPDATE conversations SET title = ? WHERE id = ? AND title = ?",
                               (title_of(turn.question), conversation, title_of(first[0])))
                db.execute("DELETE FROM turns WHERE conversation = ? AND position >= ?", (conversation, replacing))
            position = db.execute("SELECT COUNT(*) FROM turns WHERE conversation = ?", (conversation,)).fetchone()[0]
            db.execute("INSERT INTO turns (conversation, position, question, bubble, sources, markdown, asked) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (conversation, position, turn.question, turn.bubble, turn.sources, turn.markdown, now))
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conversation))
        return conversation

    def list(self, owner: str) -> list[Conversation]:
        """The owner's conversations, the most recently continued first."""
        return self._conversations("c.owner = ?", (owner,))

    def search(self, owner: str, words: str) -> builtins.list[Conversation]:
        """The owner's conversations with every one of ``words`` in a question or an answer (case folded),
        the most recently continued first; all of them for no words."""
        terms = [w.casefold() for w in words.split()][:10]
        if not terms:
            return self.list(owner)
        each = " AND ".join(["EXISTS (SELECT 1 FROM turns s WHERE s.conversation = c.id AND (instr(lower(s.question),"
                             " ?) OR instr(lower(s.markdown), ?) OR instr(lower(c.title), ?)))"] * len(terms))
        return self._conversations(f"c.owner = ? AND {each}", (owner, *(t for t in terms for _ in range(3))))

    def get(self, owner: str, conversation: str) -> Conversation | None:
        found = self._conversations("c.owner = ? AND c.id = ?", (owner, conversation))
        return found[0] if found else None

    def _conversations(self, where: str, values: tuple[str, ...]) -> builtins.list[Conversation]:
        with self._db() as db:
            rows = db.execute(
                "SELECT c.id, c.title, c.created, c.updated, COUNT(t.position) FROM conversations c "
                f"LEFT JOIN turns t ON t.conversation = c.id WHERE {where} GROUP BY c.id "
                "ORDER BY c.updated DESC, c.rowid DESC", values).fetchall()
        return [Conversation(*row) for row in rows]

    def turns(self, owner: str, conversation: str) -> builtins.list[Turn]:
        """The conversation's turns in order; none when it is not the owner's (or no longer exists)."""
        with self._db() as db:
            rows = db.execute(
                "SELECT t.question, t.bubble, t.sources, t.markdown, t.asked, t.rating FROM turns t "
                "JOIN conversations c ON c.id = t.conversation WHERE c.id = ? AND c.owner = ? ORDER BY t.position",
                (conversation, owner)).fetchall()
        return [Turn(*row) for row in rows]

    def rate(self, owner: str, conversation: str, bubble: str, rating: str, position: int | None = None) -> bool:
        """Keep a reader's thumbs ("up", "down"; "" takes it back) on the answer of the conversation's turn at
        ``position`` when it shows ``bubble``, else of the latest turn that shows it (a question refused on the
        page is no turn): the server's own record is rated, nothing the page sent is kept. False when no turn of
        the owner's conversation shows it."""
        if rating not in (*RATINGS, ""):
            raise BadValueError(f"rating={rating!r} must be 'up', 'down' or ''")
        with self._db() as db:
            if not self._owns(db, owner, conversation):
                return False
            found = db.execute("SELECT position FROM turns WHERE conversation = ? AND bubble = ? "
                               "ORDER BY position = ? DESC, position DESC LIMIT 1",
                               (conversation, bubble, -1 if position is None else position)).fetchone()
            if found is None:
                return False
            db.execute("UPDATE turns SET rating = ? WHERE conversation = ? AND position = ?",
                       (rating, conversation, found[0]))
        return True

    def ratings(self, owner: str) -> builtins.list[dict]:
        """Every rated answer of the owner's conversations, oldest first: the question, the answer as Markdown
        (with its citations) and the rating. What readers thought of answers, to learn from."""
        with self._db() as db:
            rows = db.execute(
                "SELECT c.id, c.title, t.position, t.asked, t.question, t.markdown, t.rating FROM turns t "
                "JOIN conversations c ON c.id = t.conversation WHERE c.owner = ? AND t.rating != '' "
                "ORDER BY t.asked, t.position", (owner,)).fetchall()
        keys = ("conversation", "title", "position", "asked", "question", "answer", "rating")
        return [dict(zip(keys, row)) for row in rows]

    def rename(self, owner: str, conversation: str, title: str) -> None:
        title = " ".join(title.split())
        if not title:
            raise BadValueError("a conversation's name cannot be empty")
        with self._db() as db:
            db.execute("UPDATE conversations SET title = ? WHERE id = ? AND owner = ?",
                       (title[:200], conversation, owner))

    def delete(self, owner: str, conversation: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?", (conversation, owner))

    def markdown(self, owner: str, conversation: str) -> str:
        """The whole conversation as Markdown: each question, then its answer with numbered citations and
        the sources' links, as :func:`render.answer_markdown` writes them."""
        found = self.get(owner, conversation)
        if found is None:
            return ""
        turns = self.turns(owner, conversation)
        parts = [f"# {_escaped(found.title)}",
                 f"*{len(turns)} question{'' if len(turns) == 1 else 's'}, started {local_time(found.created)}*"]
        for turn in turns:
            parts += [f"## {_escaped(turn.question)}", turn.markdown]
            if turn.rating:
                parts.append(f"*Rated {RATINGS[turn.rating]}*")
        return "\n\n".join(parts) + "\n"

    @staticmethod
    def _owns(db: sqlite3.Connection, owner: str, conversation: str) -> bool:
        return db.execute("SELECT 1 FROM conversations WHERE id = ? AND owner = ?",
                          (conversation, owner)).fetchone() is not None


def _escaped(text: str) -> str:
    """A question or a title as one Markdown line that stays text: no HTML, no link, no heading inside."""
    return "".join("\\" + ch if ch in "\\<>[]`*_#" else ch for ch in " ".join(text.split()))
