"""Questions that ask for a briefing: "What happened last week?", "What's new on the strike?", "Catch me up on
the fire", "Top stories". A table of the ways people ask, read once with the question's time words taken out:
what is left beside the asking words is the topic (none: every story of the period)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..records.dates import DatedWords

TOPIC = r"(?P<topic>[^,;:]+?)"  # a topic is a noun phrase: "the policy, according to X" asks a fact
END = r"\s*[?.!]*\s*$"
# How a briefing is asked, once the question's time words are taken out: on its own ("What happened?") or
# on a topic when one follows ("What's new on the strike?"). "What happened with the flow of the Rhine?"
# asks a fact, not a briefing, so "what happened" and "what was reported" take no topic.
ASKED_ALONE = [
    r"(?:so\s+|and\s+)?what(?:'s|\s+has|\s+have|\s+is)?\s+(?:been\s+)?(?:happened|happening|going\s+on)"
    r"(?:\s+in\s+the\s+news)?",
    r"what\s+(?:was|has\s+been|got|were)\s+(?:reported|in\s+the\s+news|announced|published)",
]
ASKED_ON_A_TOPIC = [
    r"(?:so\s+|and\s+)?what(?:'s|\s+is)\s+new",
    r"(?:what\s+(?:are|were)\s+the\s+|give\s+me\s+the\s+|show\s+me\s+the\s+)?(?:top|main|latest|biggest)\s+"
    r"(?:stories|news|headlines)",
    r"(?:any|the)\s+(?:news|headlines)",
    r"(?:catch|fill)\s+me\s+(?:up|in)",
    r"(?:give\s+me\s+)?(?:a|the)\s+(?:briefing|news\s+summary|round-?up|recap)",
    r"brief\s+me",
]
ON_A_TOPIC = r"\s+(?:on|about|with|in|from|regarding|concerning)\s+"
BRIEFING_QUESTION = re.compile(rf"^\s*(?:(?:{'|'.join(ASKED_ALONE)})|(?:{'|'.join(ASKED_ON_A_TOPIC)})"
                               rf"(?:{ON_A_TOPIC}{TOPIC})?){END}", re.IGNORECASE)
FILLER = re.compile(r"\b(?:so\s+far|please|then|now|again)\b", re.IGNORECASE)  # "What's new so far?": no topic
NO_TOPIC_LEFT = {"", "the", "it", "this", "that", "there", "here", "today", "me"}


@dataclass(frozen=True)
class BriefingAsk:
    """What a briefing question asks for: the stories of its period, only those on ``topic`` when it names one."""

    topic: str | None


def briefing_asked(question: str, mentions: Sequence[DatedWords]) -> BriefingAsk | None:
    """The briefing a question asks for, or None when it asks for something else (a fact, a timeline)."""
    kept = question
    for mention in sorted(mentions, key=lambda m: m.start, reverse=True):  # "last week" narrows the dates
        kept = kept[:mention.start] + " " + kept[mention.end:]
    kept = " ".join(FILLER.sub(" ", kept).split())
    match = BRIEFING_QUESTION.match(kept)
    if not match:
        return None
    topic = (match.group("topic") or "").strip()
    return BriefingAsk(None if topic.lower() in NO_TOPIC_LEFT else topic)
