"""The ``assistant`` command: each sub-command parses its options, makes one façade call and prints."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO, cast

from ...records.dates import local_time
from ...records.reports import UpdateReport, counted
from .ask import add_commands as add_ask_commands
from .ask import passages
from .feeds import add_commands as add_feed_commands

if TYPE_CHECKING:  # the façade is imported once a command runs, so that --help answers at once
    from ...core import Assistant, IndexStatus

GLOBAL_OPTIONS = {  # flag -> settings field
    "articles": "articles_dir",
    "index": "index_dir",
    "chroma_url": "chroma_url",
    "model": "embedding_model",
    "embedding_backend": "embedding_backend",
    "llm": "llm_backend",
    "llm_model_path": "llm_model_path",
    "llm_base_url": "llm_base_url",
    "llm_model": "llm_model",
}


def add_global_options(parser: argparse.ArgumentParser, **defaults) -> argparse.ArgumentParser:
    parser.add_argument("--articles", metavar="DIR", help="articles folder (default ./seeds)", **defaults)
    parser.add_argument("--index", metavar="DIR", help="index folder (default ./index)", **defaults)
    parser.add_argument("--chroma-url", metavar="URL", help="use a Chroma server instead of the index folder",
                        **defaults)
    parser.add_argument("--model", metavar="NAME", help="sentence-transformers model name or path", **defaults)
    parser.add_argument("--embedding-backend", choices=["torch", "onnx"], **defaults)
    parser.add_argument("--llm", choices=["none", "llamacpp", "openai", "ollama"], help="answer with an LLM",
                        **defaults)
    parser.add_argument("--llm-model-path", metavar="GGUF", **defaults)
    parser.add_argument("--llm-base-url", metavar="URL", **defaults)
    parser.add_argument("--llm-model", metavar="NAME", **defaults)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = add_global_options(
        argparse.ArgumentParser(prog="assistant", description="Ask questions about your news articles."))
    # The same options after the sub-command (`assistant ask --articles news "…"`); not given there, they
    # leave what was given before it alone.
    after = add_global_options(argparse.ArgumentParser(add_help=False), default=argparse.SUPPRESS)
    # argparse only calls parser_class(**kw), and typeshed wants a class
    with_after = cast("type[argparse.ArgumentParser]", lambda **kw: argparse.ArgumentParser(parents=[after], **kw))
    commands = parser.add_subparsers(dest="command", required=True, parser_class=with_after)

    index = commands.add_parser("index", help="update the index from the articles folder")
    index.add_argument("--full", action="store_true", help="rebuild everything")
    index.add_argument("--json", action="store_true", help="print the report as JSON")
    index.set_defaults(run=cmd_index)
    add_ask_commands(commands)

    serve = commands.add_parser("serve", help="serve the web chat, the OpenAI-compatible API (/v1) and MCP (/mcp)")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 7860)")
    serve.add_argument("--auth", metavar="USER:PASSWORD", help="require a login (several: ann:pw1,bob:pw2)")
    serve.add_argument("--watch", action="store_true", help="update the index when the articles folder changes")
    serve.set_defaults(run=cmd_serve)

    mcp = commands.add_parser("mcp", help="serve the ask/search/status tools to an MCP client over stdio")
    mcp.set_defaults(run=cmd_mcp)

    status = commands.add_parser("status", help="what the index holds and whether it is consistent")
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=cmd_status)

    evaluate = commands.add_parser("eval", help="measure retrieval and answers on a questions file")
    evaluate.add_argument("questions", metavar="QUESTIONS.jsonl")
    evaluate.add_argument("--k", type=passages, default=5)
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(run=cmd_eval)

    training = commands.add_parser("train", help="fit the answer checker, the learned scorer and the span reader on "
                                   "a training set (make train: squad2-train); --articles is its articles folder")
    training.add_argument("questions", metavar="QUESTIONS.jsonl")
    training.add_argument("--out", metavar="DIR", help="where checker.safetensors, learned.json and the reader go "
                          "(default: the installed package, where they ship)")
    training.add_argument("--limit", type=int, help="only this many questions, drawn with a fixed seed")
    training.add_argument("--epochs", type=int, default=2, help="the checker's passes over its pairs")
    training.set_defaults(run=cmd_train)
    add_feed_commands(commands)
    return parser


def progress_bar(enabled: bool, stream: TextIO | None = None) -> Callable[[int, int, str], None]:
    """One line, drawn again in place: the share done (the steps of an update count different things:
    articles, then the keyword index) and what runs now, padded so a shorter message leaves no letters of a
    longer one, and cut to the terminal's width so it never wraps."""
    on_screen = 0

    def show(done: int, total: int, message: str) -> None:
        nonlocal on_screen
        if not enabled:
            return
        out = stream or sys.stderr
        width = 30
        share = min(done / total, 1.0) if total else 1.0
        filled = int(width * share)
        line = f"[{'#' * filled}{'.' * (width - filled)}] {share:4.0%} {message}"
        line = line[:max(shutil.get_terminal_size().columns - 1, width + 6)]
        out.write("\r" + line.ljust(on_screen))
        on_screen = max(on_screen, len(line))
        if done >= total and message == "Done":
            out.write("\n")
            on_screen = 0
        out.flush()

    return show


def format_report(report: UpdateReport) -> str:
    lines = [
        f"{'Rebuilt' if report.rebuilt else 'Updated'} the index: {report.summary()}. "
        f"Index: {counted(report.total_articles, 'article')}, {counted(report.total_chunks, 'passage')}."
    ]
    skipped = [p for p in report.problems if p.skipped]
    warnings = [p for p in report.problems if not p.skipped]
    if skipped:
        lines.append(f"Skipped {counted(len(skipped), 'file')}:")
        lines += [f"  - {p.reason}" for p in skipped]
    if warnings:
        lines.append("Warnings:")
        lines += [f"  - {p.reason}" for p in warnings]
    return "\n".join(lines)


def cmd_index(bot: Assistant, args: argparse.Namespace) -> int:
    report = bot.update_index(full=args.full, progress=progress_bar(not args.json and sys.stderr.isatty()),
                              waiting=lambda message: print(message, file=sys.stderr, flush=True))
    if report.note:
        print(f"note: {report.note}", file=sys.stderr)
    print(json.dumps(report.to_dict()) if args.json else format_report(report))
    return 0


def cmd_serve(bot: Assistant, args: argparse.Namespace) -> int:
    # Gradio's own copies of uploads and downloads (a conversation's export among them) stay inside the
    # index folder, private to this user, rather than in the system's shared temporary folder.
    index_first(bot)
    private = bot.settings.index_dir / ".gradio"
    private.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("GRADIO_TEMP_DIR", str(private))
    from ..web.app import serve

    serve(bot, host=args.host, port=args.port, auth=args.auth, watch=args.watch)
    return 0


def index_first(bot: Assistant) -> None:
    """A folder never indexed is indexed before serving, with its progress on standard error."""
    if (waiting := bot.waiting_first_index()) is not None:
        print(f"First run: indexing {waiting} …", file=sys.stderr)
        report = bot.update_index(progress=progress_bar(sys.stderr.isatty()))
        print(format_report(report), file=sys.stderr)


def cmd_mcp(bot: Assistant, args: argparse.Namespace) -> int:
    from ..server.mcp_tools import build_mcp, run_stdio

    index_first(bot)  # an MCP client's first question finds articles, not a silent "don't say"

    run_stdio(build_mcp(bot))  # standard output is the MCP wire: nothing else is printed there
    return 0


def status_text(status: IndexStatus) -> str:
    """The index's state in the words the page uses (passages, a local time), and the first-run state."""
    lines = [f"articles: {status.articles:,}", f"passages: {status.chunks:,} (stored: {status.stored_chunks:,})",
             f"model: {status.model}", f"last update: {local_time(status.last_update)}",
             f"consistent: {'yes' if status.consistent else 'no'}"]
    if status.waiting:
        lines.append(f"No articles indexed yet: {status.waiting}. Run `assistant index`.")
    return "\n".join(lines)


def cmd_status(bot: Assistant, args: argparse.Namespace) -> int:
    status = bot.status()
    if args.json:
        print(json.dumps(status.to_dict()))
    else:
        print(status_text(status))
    return 0 if status.consistent else 1


def cmd_eval(bot: Assistant, args: argparse.Namespace) -> int:
    report = bot.evaluate(args.questions, k=args.k)
    print(json.dumps(report.to_dict()) if args.json else report.format())
    return 0


def cmd_train(bot: Assistant, args: argparse.Namespace) -> int:
    logging.getLogger("assistant").setLevel(logging.INFO)  # each step's progress: training takes a while
    measured = bot.train_answerer(args.questions, args.out, args.limit, args.epochs)
    print(json.dumps(measured, indent=1))
    return 0


# Libraries whose warnings repeat what the assistant reports itself (a skipped file is a Problem in the
# update's report), or that log every HTTP request.
QUIET_LIBRARIES = {"trafilatura": logging.ERROR, "htmldate": logging.ERROR, "pypdf": logging.ERROR,
                   "httpx": logging.WARNING}


def configure_logging(command: str) -> None:
    """Log lines on standard error, so a command's output stays on standard output: warnings and errors,
    and for ``serve``, a server's log, what it does too (requests, updates, feeds polled)."""
    if command == "serve":
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    else:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for name, level in QUIET_LIBRARIES.items():
        logging.getLogger(name).setLevel(level)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.command)
    overrides = {field: getattr(args, flag) for flag, field in GLOBAL_OPTIONS.items() if getattr(args, flag)}
    from pydantic import ValidationError

    from ...core import Assistant
    from ...errors import AssistantError
    from ...settings import Settings

    try:
        bot = Assistant(Settings(**overrides))
        return args.run(bot, args)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        print(f"error: invalid setting: {problems}", file=sys.stderr)
    except AssistantError as error:
        print(f"error: {error}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    except BrokenPipeError:  # `assistant ask … | head -3`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
    return 2



if __name__ == "__main__":
    sys.exit(main())
