"""The running server owns the index: its record in the index folder, and the client that asks it to update."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import IndexBusyError, OwnerGone, RemoteUpdateError
from ..records.reports import UpdateReport
from .atomic import write_atomically

RECORD_NAME = "server.json"


@dataclass
class ServerRecord:
    pid: int
    url: str
    started: str

    @classmethod
    def path(cls, index_dir: Path) -> Path:
        return index_dir / RECORD_NAME

    def write(self, index_dir: Path) -> None:
        write_atomically(self.path(index_dir), json.dumps(asdict(self)).encode())

    @classmethod
    def read(cls, index_dir: Path) -> ServerRecord | None:
        try:
            return cls(**json.loads(cls.path(index_dir).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def remove(self, index_dir: Path) -> None:
        """Remove the record if it is still this server's (a newer server may have replaced it)."""
        if ServerRecord.read(index_dir) == self:
            self.path(index_dir).unlink(missing_ok=True)

    def is_alive(self, timeout: float = 3.0) -> bool:
        """The process exists and its server answers; a record without both is stale."""
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # another user's live process
        try:
            with urllib.request.urlopen(f"{self.url}/config", timeout=timeout) as response:
                return response.status == 200
        except OSError as error:
            return getattr(error, "code", None) == 401  # a login-protected server is alive too


def owner_of(index_dir: Path) -> tuple[ServerRecord | None, str]:
    """The live server that owns the index (None if there is none or it is this process), and a note
    when a stale record was found and removed."""
    record = ServerRecord.read(index_dir)
    if record is None or record.pid == os.getpid():
        return None, ""
    if record.is_alive():
        return record, ""
    ServerRecord.path(index_dir).unlink(missing_ok=True)
    return None, (f"recovered a stale server record: the server (process {record.pid}, {record.url}) "
                  "is gone, so this process updated the index itself")


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie (killed, not yet reaped by its parent)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc here: the signal's answer stands


def update_through(record: ServerRecord, full: bool, progress: Callable[[int, int, str], None] | None,
                   login: tuple[str, str] | None) -> UpdateReport:
    """Ask the owning server to run the update, relaying its progress; returns its report. ``login``: one of
    the server's logins, when it was started with --auth (setting ``auth``: the first login is used).
    When the server's process dies meanwhile, :class:`OwnerGone` says so within a second."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from gradio_client import Client

    try:
        client = Client(record.url, verbose=False, auth=login, analytics_enabled=False, download_files=False)
        job = client.submit(full, api_name="/update_index")
        relayed = 0
        while not job.done():
            if not _alive(record.pid):
                raise OwnerGone(f"the server at {record.url} (process {record.pid}) stopped during the update")
            relayed = _relay(job.outputs(), relayed, progress)
            time.sleep(0.2)
        outputs = job.outputs()
        _relay(outputs, relayed, progress)
        final = outputs[-1] if outputs else {}
        if "report" not in final and "error" not in final:  # the job ended without its last word
            if not _alive(record.pid) or not record.is_alive(timeout=2):
                raise OwnerGone(f"the server at {record.url} (process {record.pid}) stopped during the update")
            raise RemoteUpdateError(f"the server at {record.url} ended the update without a report")
    except (OwnerGone, RemoteUpdateError):
        raise
    except Exception as error:
        hint = "" if login else " (a server started with --auth needs one of its logins: set ASSISTANT_AUTH)"
        raise IndexBusyError(f"the server at {record.url} (process {record.pid}) owns this index, "
                             f"but asking it to update failed: {error}{hint}") from None
    if "error" in final:
        raise RemoteUpdateError(f"the server at {record.url} could not update the index: {final['error']}")
    report = UpdateReport.from_dict(final["report"])
    report.note = f"updated by the running server at {record.url} (process {record.pid})"
    return report


def _relay(events: list[dict], relayed: int, progress: Callable[[int, int, str], None] | None) -> int:
    """Pass on the progress events not passed on yet; how many have been."""
    for event in events[relayed:]:
        if progress and "total" in event:
            progress(event["done"], event["total"], event["message"])
    return len(events)
