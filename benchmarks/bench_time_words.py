"""The time words of every benchmark question, read as the assistant reads them: each set's questions asked
as of their ``as_of`` (news-2024: the quiz's date), else as of a fixed day. A word the rules find but cannot
turn into days would be ignored with a note; the count of those must stay at zero. Reading only: nothing
here is fitted or chosen by these numbers."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from datetime import date

from common import bench_dir, out_path, write_json

from assistant.text.time_words import find_mentions

FIXED_DAY = date(2024, 12, 15)  # the day the Wikipedia sets are read from (they have no as_of)


def read_set(name: str) -> dict:
    rows = [json.loads(line) for line in (bench_dir() / name / "questions.jsonl").read_text().splitlines() if line]
    words: Counter[str] = Counter()
    unread: list[str] = []
    named = 0
    began = time.perf_counter()
    for row in rows:
        day = date.fromisoformat(row["as_of"]) if row.get("as_of") else FIXED_DAY
        mentions = find_mentions(row["question"], day)
        named += bool(mentions)
        for mention in mentions:
            words[" ".join(mention.text.lower().split())] += 1
            if not mention.resolved:
                unread.append(f"{row['question']} ({mention.text})")
    seconds = time.perf_counter() - began
    return {"questions": len(rows), "with_time_words": named, "unread": len(unread), "unread_examples": unread[:5],
            "words": dict(words.most_common()), "read_ms_per_question": round(seconds * 1000 / max(1, len(rows)), 3)}


def main() -> None:
    sets = [p.name for p in sorted(bench_dir().iterdir()) if (p / "questions.jsonl").exists()]
    write_json(out_path(sys.argv, "bench_time_words.json"), {"sets": {name: read_set(name) for name in sets}})


if __name__ == "__main__":
    main()
