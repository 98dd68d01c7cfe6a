"""The one error family: every error the assistant raises on purpose is an :class:`AssistantError`.

A face (the command line, the page, the APIs) catches this one type and shows its message in one line;
anything else is a bug and keeps its traceback. Each kind also derives from the built-in error it
replaced (``ValueError``, ``RuntimeError``, ...), so code written against those keeps working.
"""

from __future__ import annotations

from pathlib import Path


class AssistantError(Exception):
    """An error the assistant raises on purpose; the message names the file, field or value and the reason."""


class BadValueError(AssistantError, ValueError):
    """A setting, argument or request field holds a value it cannot take."""


class UnknownSettingError(BadValueError):
    """A keyword or config-file key that names no setting: a typo would otherwise fall back to the default."""


class MissingFolderError(AssistantError, FileNotFoundError):
    """A folder the settings name does not exist."""


class NotIndexedError(AssistantError):
    """A question asked of a folder that was never indexed: the message says how many files wait."""


class ArticleError(AssistantError, ValueError):
    """An article file that cannot be read; the message names the reason (the caller names the file)."""


class UploadError(AssistantError, ValueError):
    """An upload refused before anything was written; the message says why."""


class FetchError(AssistantError):
    """Why a URL could not be fetched, naming the URL."""


class IndexBusyError(AssistantError, RuntimeError):
    """Another process is updating this index, or a server owns it."""


class IndexWriteError(AssistantError, OSError):
    """The index folder cannot be written (read-only, or the disk is full): the message names the folder."""


class RemoteUpdateError(AssistantError, RuntimeError):
    """The server that owns the index could not run the update it was asked for."""


class OwnerGone(RemoteUpdateError):
    """The server asked to update died while it ran the update: the caller runs the update itself."""


class DamagedManifest(AssistantError, ValueError):
    """The manifest cannot be read; the next update rebuilds it from the store, which holds every passage."""

    def __init__(self, path: Path, error: Exception) -> None:
        self.problem = f"index manifest {path} is damaged ({error})"
        super().__init__(f"{self.problem}; run 'assistant index' to rebuild it from the stored passages")


class ModelError(AssistantError, RuntimeError):
    """An embedding model that cannot be exported or loaded as configured."""


class UnsupportedModel(AssistantError, ValueError):
    """The model has layers the ONNX backend does not reproduce; the PyTorch backend still works."""


class LLMError(AssistantError, RuntimeError):
    """The LLM cannot be used: not configured, not installed, unreachable or failing."""


class LLMTimeout(LLMError):
    """The LLM did not finish within ``settings.llm_timeout`` seconds."""


class AnswererError(AssistantError, RuntimeError):
    """An answerer broke its promise (it finished without an answer)."""
