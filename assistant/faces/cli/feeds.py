"""``assistant feeds add|list|remove|poll`` and ``assistant add URL``: each parses, makes one façade call,
prints (``--json`` prints the records)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from ...records.reports import counted

if TYPE_CHECKING:
    from ...core import Assistant


def add_commands(commands: argparse._SubParsersAction) -> None:
    add = commands.add_parser("add", help="fetch one web page (or PDF) into the articles folder and index it")
    add.add_argument("url")
    add.add_argument("--no-index", action="store_true", help="only save it; index later")
    add.set_defaults(run=cmd_add)

    feeds = commands.add_parser("feeds", help="follow RSS/Atom feeds: add, list, remove, poll")
    actions = feeds.add_subparsers(dest="action", required=True)
    follow = actions.add_parser("add", help="follow a feed (serve polls it; `feeds poll` polls now)")
    follow.add_argument("url")
    follow.add_argument("--every", default="30m", help="how often serve polls it: 30m, 2h, 1d (default 30m)")
    follow.add_argument("--name", help="a short name (default: from the host)")
    listing = actions.add_parser("list", help="the feeds, their last poll and any error")
    listing.add_argument("--json", action="store_true")
    remove = actions.add_parser("remove", help="stop following a feed (its articles stay)")
    remove.add_argument("name")
    poll = actions.add_parser("poll", help="poll now (all feeds, or one), store new entries, update the index")
    poll.add_argument("name", nargs="?")
    poll.add_argument("--json", action="store_true")
    feeds.set_defaults(run=cmd_feeds)


def cmd_add(bot: Assistant, args: argparse.Namespace) -> int:
    stored = bot.add_url(args.url)
    print(stored.message)
    if not args.no_index:
        print(f"Index: {bot.update_index().summary()}")
    return 0


def feed_line(feed: dict) -> str:
    """One feed of ``feeds list``: name, URL, schedule, last poll, articles, and its error when failing."""
    return f"{feed['name']}  {feed['url']}  every {feed['every_text']}  last poll {feed['last_poll_text']}  " \
           f"{counted(feed['articles'], 'article')}  {feed['state']}"


def cmd_feeds(bot: Assistant, args: argparse.Namespace) -> int:
    if args.action == "add":
        feed = bot.feeds.add(args.url, args.every, args.name)
        print(f"Following {feed.name} ({feed.url}); `assistant serve` polls it every {feed.to_dict()['every_text']}, "
              f"`assistant feeds poll {feed.name}` polls it now.")
    elif args.action == "remove":
        feed = bot.feeds.remove(args.name)
        print(f"No longer following {feed.name}; its articles stay in the articles folder.")
    elif args.action == "list":
        feeds = bot.feeds.list()
        if args.json:
            print(json.dumps([f.to_dict() for f in feeds]))
        else:
            print("\n".join(feed_line(f.to_dict()) for f in feeds) or "No feeds. Add one: assistant feeds add URL")
    else:
        reports = bot.feeds.poll(args.name)
        if args.json:
            print(json.dumps([vars(r) for r in reports]))
        else:
            for report in reports:
                print(report.summary())
                print("".join(f"  - {problem}\n" for problem in report.problems), end="")
        return 1 if any(r.error for r in reports) else 0
    return 0
