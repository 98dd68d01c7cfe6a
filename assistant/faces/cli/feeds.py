"""``assistant feeds add|list|rename|remove|poll`` and ``assistant add URL``: each parses, makes one façade call,
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

    feeds = commands.add_parser("feeds", help="follow RSS/Atom feeds: add, list, rename, remove, poll")
    actions = feeds.add_subparsers(dest="action", required=True)
    follow = actions.add_parser("add", help="follow a feed and fetch it once now (serve polls it after that)")
    follow.add_argument("url")
    follow.add_argument("--every", default="30m", help="how often serve polls it: 30m, 2h, 1d (default 30m)")
    follow.add_argument("--name", help="a short name (default: from the host); its title comes from the feed")
    follow.add_argument("--no-poll", action="store_true", help="only follow it; the next poll fetches it")
    rename = actions.add_parser("rename", help="call a feed by another title (its short name stays)")
    rename.add_argument("name", help="its short name or its title")
    rename.add_argument("title")
    listing = actions.add_parser("list", help="the feeds, their last poll and any error")
    listing.add_argument("--json", action="store_true")
    remove = actions.add_parser("remove", help="stop following a feed (its articles stay)")
    remove.add_argument("name", help="its short name or its title")
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
    shown = feed["name"] if feed["shown"] == feed["name"] else f"{feed['name']} ({feed['shown']})"
    return f"{shown}  {feed['url']}  every {feed['every_text']}  last poll {feed['last_poll_text']}  " \
           f"{counted(feed['articles'], 'article')}  {feed['state']}"


def cmd_feeds(bot: Assistant, args: argparse.Namespace) -> int:
    if args.action == "add":
        if args.no_poll:
            feed = bot.feeds.add(args.url, args.every, args.name)
        else:
            feed, report = bot.feeds.follow(args.url, args.every, args.name)
        print(f"Following {feed.shown} ({feed.url}); `assistant serve` polls it every "
              f"{feed.to_dict()['every_text']}, `assistant feeds poll {feed.name}` polls it now.")
        if not args.no_poll:
            print(f"First poll: {report.summary()}")
            print("".join(f"  - {problem}\n" for problem in report.problems), end="")
            if report.error:
                print(f"It stays followed and is tried again on its schedule; `assistant feeds remove {feed.name}` "
                      "stops following it.")
                return 1
    elif args.action == "rename":
        feed = bot.feeds.rename(args.name, args.title)
        print(f"{feed.name} is now called {feed.shown}.")
    elif args.action == "remove":
        feed = bot.feeds.remove(args.name)
        print(f"No longer following {feed.shown}; its articles stay in the articles folder.")
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
