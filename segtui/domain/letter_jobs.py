"""Merging letters in worker processes and writing them to disk.

The functions here run in a worker process or in the calling thread alike. Each
worker receives the template files once, when it starts, and then gets chunks of
entries to merge; every letter is written to disk as soon as it is made.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

MAX_FILE_NAME_BYTES = 120

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')

# Attachment id → (template bytes, field map), set once per worker process.
_TEMPLATES: dict[int, tuple[bytes, dict[str, str]]] = {}

# One letter to merge: (entry no, attachment id, merge values, target path).
LetterJob = tuple[int, int, dict[str, Any], str]


def letter_file_name(contact_no: str, name: str, company_name: str = "") -> str:
    """Return a file name that is valid on Windows, macOS and Linux.

    ``CT000012 Firma GmbH - Jana Berg.docx`` for a person of a company,
    ``CT000010 Firma GmbH.docx`` for the company or an independent person.
    """
    title = (
        f"{company_name} - {name}" if company_name and company_name != name else name
    )
    stem = " ".join(part for part in (contact_no, title) if part)
    stem = unicodedata.normalize("NFC", stem)
    stem = _UNSAFE.sub("_", stem)
    stem = re.sub(r"\s+", " ", stem).strip().rstrip(". ")
    encoded = stem.encode("utf-8")[:MAX_FILE_NAME_BYTES]
    stem = encoded.decode("utf-8", errors="ignore").rstrip(". ")
    return (stem or contact_no or "letter") + ".docx"


def set_templates(templates: dict[int, tuple[bytes, dict[str, str]]]) -> None:
    _TEMPLATES.clear()
    _TEMPLATES.update(templates)


def write_file(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a failed write leaves no partial file."""
    temporary = path.with_name(path.name + ".part")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def merge_letters(jobs: list[LetterJob]) -> list[tuple[int, str, str]]:
    """Merge and write letters; return (entry no, path, error text) for each."""
    from segtui.domain.documents import render_letter

    results = []
    for entry_no, attachment_id, values, path in jobs:
        content, field_map = _TEMPLATES[attachment_id]
        try:
            write_file(Path(path), render_letter(content, values, field_map))
            results.append((entry_no, path, ""))
        except Exception as error:  # noqa: BLE001 - stored on the entry
            results.append((entry_no, path, f"{type(error).__name__}: {error}"))
    return results


def merge_print_file(
    attachment_id: int, letters: list[dict[str, Any]], path: str
) -> tuple[str, str]:
    """Merge many letters into one print file; return (path, error text)."""
    from segtui.domain.documents import render_combined

    content, field_map = _TEMPLATES[attachment_id]
    try:
        write_file(Path(path), render_combined(content, letters, field_map))
        return path, ""
    except Exception as error:  # noqa: BLE001 - stored in the delivery report
        return path, f"{type(error).__name__}: {error}"


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr to hand it.

    The tracker passes ``sys.stderr.fileno()`` to its process. While a Textual app
    runs, sys.stderr captures prints and its fileno() returns -1 (Textual 8.2.8), and
    the tracker then fails with "bad value(s) in fds_to_keep".
    """
    from multiprocessing import resource_tracker

    saved = sys.stderr
    try:
        if saved is None or _fileno(saved) < 0:
            sys.stderr = sys.__stderr__
        resource_tracker.ensure_running()
    finally:
        sys.stderr = saved


def _fileno(stream: Any) -> int:
    try:
        return int(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return -1


class JobRunner:
    """Run merge jobs in worker processes, or in this thread, through one interface."""

    def __init__(
        self, templates: dict[int, tuple[bytes, dict[str, str]]], parallel: bool
    ) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.pending: list[Future[Any]] = []
        if parallel:
            start_resource_tracker()
            workers = max(1, min(2, os.cpu_count() or 1))
            # spawn, not fork: the TUI runs threads, and forking them is unsafe.
            self.pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=set_templates,
                initargs=(templates,),
            )
            self.limit = workers * 2
        else:
            set_templates(templates)
            self.limit = 1

    def submit(self, function: Callable[..., Any], *args: Any) -> list[Any]:
        """Start a job; return the results of the jobs that finished meanwhile."""
        if self.pool is None:
            return [function(*args)]
        self.pending.append(self.pool.submit(function, *args))
        done: list[Any] = []
        while len(self.pending) >= self.limit:
            done.append(self.pending.pop(0).result())
        return done

    def finish(self) -> list[Any]:
        """Wait for every started job and return their results."""
        done = [future.result() for future in self.pending]
        self.pending = []
        return done

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
