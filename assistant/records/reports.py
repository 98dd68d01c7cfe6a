"""What an index update reports: files it could not (fully) use, and what it changed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 article', '3 articles', '1 passage embedded' the way people write them."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


@dataclass
class Problem:
    """A file that could not be (fully) used, and why, in words a user can act on."""

    path: str
    reason: str
    skipped: bool = True  # False: a warning (e.g. decoded with a fallback), the article was still used


@dataclass
class UpdateReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks: int = 0  # chunks embedded by this update
    seconds: float = 0.0
    rebuilt: bool = False
    repaired: int = 0  # articles whose chunks were incomplete after an interrupted update
    note: str = ""  # who ran the update, or what was recovered
    problems: list[Problem] = field(default_factory=list)  # files skipped, and warnings about used ones
    total_articles: int = 0
    total_chunks: int = 0

    def summary(self) -> str:
        """One line for people: what changed, in the terminal, on the page and in the server's log."""
        return (f"{self.added} added, {self.updated} updated, {self.removed} removed, {self.unchanged} unchanged; "
                f"{counted(self.chunks, 'passage')} embedded in {self.seconds:.1f}s")

    def to_dict(self) -> dict:
        data = asdict(self)
        return data | {"skipped": data["problems"]}  # deprecated alias of "problems", removed in the next release

    @classmethod
    def from_dict(cls, data: dict) -> UpdateReport:
        """The report another process sent as JSON (an older server sends ``skipped`` only)."""
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known = Problem.__dataclass_fields__  # a subclass's extra fields (a duplicate's original) stay behind
        fields["problems"] = [Problem(**{k: v for k, v in p.items() if k in known})
                              for p in data.get("problems", data.get("skipped", []))]
        return cls(**fields)
