"""Merging letters in worker processes and writing them to disk.

The functions here run in a worker process or in the calling thread alike. Each
worker receives the template files once, when it starts, and then gets chunks of
entries to merge; every letter is written to disk as soon as it is made.

stop_all() ends the jobs of every runner at once, so that segtui can exit within
a second of a hangup. The letters written by then are recorded, because a file is
written under a temporary name and renamed only when whole.

A runner given a cancel event stops more gently when the user sets it. Workers
check a shared halt event before each letter, so each finishes the letter in
progress and returns the letters written. Jobs not started yet return at once.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import re
import signal
import sys
import threading
import unicodedata
import weakref
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    InvalidStateError,
    ProcessPoolExecutor,
    wait,
)
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_FILE_NAME_BYTES = 120

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')

# Attachment id → (template bytes, field map), set once per worker process.
_TEMPLATES: dict[int, tuple[bytes, dict[str, str]]] = {}

# In a worker process: the halt event of its JobRunner, set when the user cancels.
_HALT: Any = None

# How long the thread that passes a cancel on to the workers waits at a time before
# it checks whether its JobRunner was closed, in seconds. A cancel wakes it at once.
CLOSED_CHECK_SECONDS = 0.5

# How much lower than the parent's the workers' scheduling priority is (see nice(2)).
# With both cores merging letters, Ctrl+Q showed its question after 0.80 s on average
# with workers at the parent's priority and after 0.54 s with this, over five runs
# each in tmux on a 2-core machine loaded by other work.
WORKER_NICENESS = 10

# One letter to merge: (entry no, attachment id, merge values, target path).
LetterJob = tuple[int, int, dict[str, Any], str]


# The JobRunner whose job runs in this thread, set while a job runs in the calling
# thread.
_CURRENT = threading.local()

# Held while a job writes and renames a file, so that a worker whose parent process
# ended leaves either a whole file or none.
_WRITING = threading.Lock()

# The JobRunners whose jobs may still run, for stop_all().
_RUNNERS: weakref.WeakSet[JobRunner] = weakref.WeakSet()
_RUNNERS_LOCK = threading.Lock()


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


def stop_requested() -> bool:
    """Return whether the job running in this thread or process is to end now.

    That is so when its JobRunner was stopped or canceled, for a job in the calling
    thread, or when the runner set the halt event, for a job in a worker process.
    """
    if _HALT is not None and _HALT.is_set():
        return True
    runner: JobRunner | None = getattr(_CURRENT, "runner", None)
    return runner is not None and (runner.stop.is_set() or runner.canceled())


def merge_letters(jobs: list[LetterJob]) -> list[tuple[int, str, str]]:
    """Merge and write letters; return (entry no, path, error text) for each.

    A stopped or canceled runner ends the job after the letter in progress. The
    letters not started are left out of the result, so their entries keep no
    document path and can be sent again.
    """
    from segtui.domain.documents import render_letter

    results = []
    for entry_no, attachment_id, values, path in jobs:
        if stop_requested():
            break
        content, field_map = _TEMPLATES[attachment_id]
        try:
            document = render_letter(content, values, field_map)
            with _WRITING:
                write_file(Path(path), document)
            results.append((entry_no, path, ""))
        except Exception as error:  # noqa: BLE001 - stored on the entry
            results.append((entry_no, path, f"{type(error).__name__}: {error}"))
    return results


def merge_print_file(
    attachment_id: int, letters: list[dict[str, Any]], path: str
) -> tuple[str, str]:
    """Merge many letters into one print file; return (path, error text)."""
    content, field_map = _TEMPLATES[attachment_id]
    return write_print_file(content, field_map, letters, path)


def write_print_file(
    content: bytes,
    field_map: dict[str, str],
    letters: list[dict[str, Any]],
    path: str,
) -> tuple[str, str]:
    """Merge letters of the template ``content`` into one print file at ``path``.

    Return (path, error text). Unlike merge_print_file, this needs no templates
    set beforehand, so a delivery can call it after its runner stopped.
    """
    from segtui.domain.documents import render_combined

    try:
        document = render_combined(content, letters, field_map)
        with _WRITING:
            write_file(Path(path), document)
        return path, ""
    except Exception as error:  # noqa: BLE001 - stored in the delivery report
        return path, f"{type(error).__name__}: {error}"


def start_worker(
    templates: dict[int, tuple[bytes, dict[str, str]]], halt: Any = None
) -> None:
    """Prepare a worker process: its templates, its halt event and its signals.

    A hangup reaches the whole foreground process group of the terminal, workers
    included. Workers ignore it, so that the parent stops them and records what
    they wrote. A worker whose parent ends without doing so ends itself.

    Workers run at a lower scheduling priority than the parent, so that on a
    machine with few cores the screen still responds to keys while letters merge.
    """
    global _HALT
    set_templates(templates)
    _HALT = halt
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    with suppress(OSError):
        os.nice(WORKER_NICENESS)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(
            target=end_with_parent,
            args=(parent.sentinel,),
            name="segtui-parent-watch",
            daemon=True,
        ).start()


def end_with_parent(parent_sentinel: int) -> None:
    """End this worker process when its parent ends, between two file writes."""
    multiprocessing.connection.wait([parent_sentinel])
    with _WRITING:
        os._exit(1)


def stop_all() -> int:
    """Stop the jobs of every JobRunner; return how many runners were stopped.

    The thread waiting for a runner's results then ends its worker processes and
    gets the letters found on disk as results, or a job in the calling thread ends
    after the letter in progress.
    """
    with _RUNNERS_LOCK:
        runners = list(_RUNNERS)
    for runner in runners:
        runner.request_stop()
    return len(runners)


def letters_on_disk(jobs: list[LetterJob]) -> list[tuple[int, str, str]]:
    """Return merge_letters' result for the letters of ``jobs`` that were written.

    A letter file exists only once whole, because write_file renames it into
    place, so every file found counts as written. Temporary files of a worker
    that was ended while writing are removed.
    """
    results = []
    for entry_no, _attachment_id, _values, path in jobs:
        target = Path(path)
        target.with_name(target.name + ".part").unlink(missing_ok=True)
        if target.exists():
            results.append((entry_no, path, ""))
    return results


def print_file_on_disk(
    _attachment_id: int, _letters: list[dict[str, Any]], path: str
) -> tuple[str, str] | None:
    """Return merge_print_file's result if the print file was written, else None."""
    target = Path(path)
    target.with_name(target.name + ".part").unlink(missing_ok=True)
    return (path, "") if target.exists() else None


# For each job function: the function that returns, from the files on disk, the
# result of a job whose worker was ended, or None when it wrote nothing to report.
RESULTS_ON_DISK: dict[Callable[..., Any], Callable[..., Any]] = {
    merge_letters: letters_on_disk,
    merge_print_file: print_file_on_disk,
}


@dataclass
class StartedJob:
    future: Future[Any]
    function: Callable[..., Any]
    args: tuple[Any, ...]


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
    """Run merge jobs in worker processes, or in this thread, through one interface.

    Only one thread may call submit, finish and close, but request_stop and setting
    ``cancel`` may come from any thread. Once ``cancel`` is set, no job starts and
    the running ones end after the letter in progress, with the letters written as
    their result. A print file job that a worker has started or queued is still
    written whole.
    """

    def __init__(
        self,
        templates: dict[int, tuple[bytes, dict[str, str]]],
        parallel: bool,
        cancel: threading.Event | None = None,
    ) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.pending: list[StartedJob] = []
        self.stop = threading.Event()
        self.cancel = cancel
        # Completed by request_stop, to wake the thread that waits for a result.
        self.stopped: Future[None] = Future()
        # Shared with the worker processes, which check it before each letter, and
        # set as soon as ``cancel`` is.
        self.halt: Any = None
        self.closed = threading.Event()
        if parallel:
            start_resource_tracker()
            workers = max(1, min(2, os.cpu_count() or 1))
            # spawn, not fork: the TUI runs threads, and forking them is unsafe.
            context = multiprocessing.get_context("spawn")
            self.halt = context.Event()
            self.pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=start_worker,
                initargs=(templates, self.halt),
            )
            if cancel is not None:
                threading.Thread(
                    target=self.halt_on_cancel,
                    args=(cancel,),
                    name="segtui-letters-cancel",
                    daemon=True,
                ).start()
            self.limit = workers * 2
        else:
            set_templates(templates)
            self.limit = 1
        with _RUNNERS_LOCK:
            _RUNNERS.add(self)

    def request_stop(self) -> None:
        """Start no more jobs, and end the running ones as soon as possible."""
        self.stop.set()
        with suppress(InvalidStateError):
            self.stopped.set_result(None)

    def canceled(self) -> bool:
        """Return whether ``cancel`` is set, and if so, halt the worker processes."""
        if self.cancel is None or not self.cancel.is_set():
            return False
        if self.halt is not None:
            self.halt.set()
        return True

    def halt_on_cancel(self, cancel: threading.Event) -> None:
        """Halt the workers as soon as ``cancel`` is set, until the runner closes.

        This runs in a thread of its own, so the halt does not wait until the
        thread that submits jobs has finished reading and recording entries.
        """
        while not self.closed.is_set():
            if cancel.wait(CLOSED_CHECK_SECONDS):
                self.canceled()
                return

    def submit(self, function: Callable[..., Any], *args: Any) -> list[Any]:
        """Start a job; return the results of the jobs that finished meanwhile.

        Once the runner is stopped, no job starts, and the results of the jobs
        started before are taken from the disk. Once it is canceled, no job starts
        either, and finish returns the results of the jobs started before.
        """
        if self.stop.is_set():
            return self.end_jobs()
        if self.canceled():
            return []
        if self.pool is None:
            _CURRENT.runner = self
            try:
                return [function(*args)]
            finally:
                _CURRENT.runner = None
        future = self.pool.submit(function, *args)
        self.pending.append(StartedJob(future, function, args))
        done: list[Any] = []
        while len(self.pending) >= self.limit:
            wait([self.pending[0].future, self.stopped], return_when=FIRST_COMPLETED)
            if self.stop.is_set():
                return done + self.end_jobs()
            done.append(self.pending.pop(0).future.result())
        return done

    def finish(self) -> list[Any]:
        """Wait for every started job and return their results."""
        done: list[Any] = []
        while self.pending:
            wait([self.pending[0].future, self.stopped], return_when=FIRST_COMPLETED)
            if self.stop.is_set():
                return done + self.end_jobs()
            done.append(self.pending.pop(0).future.result())
        return done

    def end_jobs(self) -> list[Any]:
        """End the worker processes; return the started jobs' results from the disk.

        A job that finished keeps its own result. Killing a worker mid-letter is
        safe, because a letter is renamed into place only once whole.
        """
        if not self.pending:
            return []
        self.kill_workers()
        done: list[Any] = []
        for job in self.pending:
            future = job.future
            if future.done() and not future.cancelled() and not future.exception():
                done.append(future.result())
            elif job.function in RESULTS_ON_DISK:
                result = RESULTS_ON_DISK[job.function](*job.args)
                if result is not None:
                    done.append(result)
        self.pending = []
        return done

    def kill_workers(self) -> None:
        """Kill the worker processes with SIGKILL and wait until they have ended."""
        if self.pool is None:
            return
        # NOTE: _processes is private to ProcessPoolExecutor. Python 3.14 adds
        # kill_workers(), which does the same.
        workers = list((self.pool._processes or {}).values())
        for worker in workers:
            if worker.pid is not None:
                with suppress(ProcessLookupError):
                    os.kill(worker.pid, signal.SIGKILL)
        sentinels = [worker.sentinel for worker in workers]
        while sentinels:
            ended = multiprocessing.connection.wait(sentinels)
            sentinels = [sentinel for sentinel in sentinels if sentinel not in ended]

    def close(self) -> None:
        self.closed.set()
        with _RUNNERS_LOCK:
            _RUNNERS.discard(self)
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
