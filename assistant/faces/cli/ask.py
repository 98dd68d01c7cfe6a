"""``assistant ask``, ``timeline``, ``briefing`` and ``chat``: the question's options (k, sources, dates,
``--as-of``), and printing an answer in the terminal, whole or as it is written."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...records.answer import Answer
from ...records.events import AnswerEvent, Done, Status, TextDelta
from ...records.filters import Filters
from ...records.wire import answer_dict
from ..render import sources_text

if TYPE_CHECKING:
    from ...core import Assistant


def passages(value: str) -> int:
    """A ``--k``: how many passages, 1 to 50."""
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of passages") from None
    if not 1 <= k <= 50:
        raise argparse.ArgumentTypeError(f"{k} passages: give 1 to 50")
    return k


def add_commands(commands: argparse._SubParsersAction) -> None:
    ask = commands.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    add_query_options(ask)
    ask.add_argument("--json", action="store_true", help="print the answer and citations as JSON")
    ask.add_argument("--stream", action="store_true", help="print the answer as it is written")
    ask.set_defaults(run=cmd_ask)

    timeline = commands.add_parser("timeline", help="how a story developed: dated events in order, each cited")
    timeline.add_argument("topic", help="what to follow, e.g. 'the Halden bridge collapse'")
    add_query_options(timeline)
    timeline.add_argument("--json", action="store_true", help="print the events and citations as JSON")
    timeline.set_defaults(run=cmd_timeline)

    briefing = commands.add_parser("briefing", help="the period's stories, each once, most carried first, each cited")
    briefing.add_argument("--topic", help="only this topic's stories, oldest first, e.g. 'the ferry strike'")
    add_query_options(briefing, passages_read=False)
    briefing.add_argument("--json", action="store_true", help="print the stories and citations as JSON")
    briefing.set_defaults(run=cmd_briefing)

    chat = commands.add_parser("chat", help="a conversation in the terminal (follow-ups understood)")
    add_query_options(chat)
    chat.set_defaults(run=cmd_chat)


def add_query_options(parser: argparse.ArgumentParser, passages_read: bool = True) -> None:
    if passages_read:  # a briefing reads every article of its period
        parser.add_argument("--k", type=passages, help="passages to read, 1 to 50 (default 5)")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="only articles dated on or after")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="only articles dated on or before")
    parser.add_argument("--source", action="append", default=[], metavar="NAME",
                        help="only this publisher or article path (repeatable)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="count 'last week', 'yesterday' … from this day, "
                        "and leave out articles published after it (default: today, nothing left out)")


def filters_from(args: argparse.Namespace) -> Filters:
    return Filters(tuple(args.source), args.since, args.until)


def format_answer(answer: Answer) -> str:
    return f"{answer.text}\n{sources_text(answer)}".rstrip()


def print_streamed(events: Iterable[AnswerEvent], show_status: bool = False) -> Answer:
    """Print text as it comes, then the checked answer if it differs (markers renumbered, claims checked)."""
    answer: Answer | None
    streamed, answer = "", None
    for event in events:
        match event:
            case Status(message) if show_status:
                sys.stderr.write(f"\r{message}…\x1b[K")
                sys.stderr.flush()
            case TextDelta(text):
                if show_status and not streamed:
                    sys.stderr.write("\r\x1b[K")
                print(text, end="", flush=True)
                streamed += text
            case Done(answer):
                pass
    print()
    assert answer is not None  # the events end with Done
    if " ".join(answer.text.split()) != " ".join(streamed.split()):
        print(f"\nChecked answer: {answer.text}")
    details = sources_text(answer)
    if details:
        print(details)
    return answer


def cmd_ask(bot: Assistant, args: argparse.Namespace) -> int:
    bot.check_llm()
    if args.stream and not args.json:
        events = bot.ask_stream(args.question, k=args.k, filters=filters_from(args), as_of=args.as_of)
        print_streamed(events, sys.stderr.isatty())
        return 0
    answer = bot.ask(args.question, k=args.k, filters=filters_from(args), as_of=args.as_of)
    print(json.dumps(answer_dict(answer), ensure_ascii=False, indent=1) if args.json else format_answer(answer))
    return 0


def cmd_timeline(bot: Assistant, args: argparse.Namespace) -> int:
    bot.check_llm()
    answer = bot.timeline(args.topic, filters=filters_from(args), as_of=args.as_of)
    print(json.dumps(answer_dict(answer), ensure_ascii=False, indent=1) if args.json else format_answer(answer))
    return 0


def cmd_briefing(bot: Assistant, args: argparse.Namespace) -> int:
    answer = bot.briefing(args.since, args.until, args.topic, as_of=args.as_of, filters=Filters(tuple(args.source)))
    print(json.dumps(answer_dict(answer), ensure_ascii=False, indent=1) if args.json else format_answer(answer))
    return 0


def cmd_chat(bot: Assistant, args: argparse.Namespace) -> int:
    bot.check_llm()
    history: list[str] = []
    print("Ask about your articles (empty line or Ctrl-D to quit).")
    while True:
        try:
            question = input("\n> ").strip()
        except EOFError:
            return 0
        if not question:
            return 0
        print_streamed(bot.ask_stream(question, history=history, k=args.k, filters=filters_from(args),
                                       as_of=args.as_of),
                       sys.stderr.isatty())
        history.append(question)
