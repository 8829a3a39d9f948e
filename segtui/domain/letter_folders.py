"""Choosing and claiming the folder that a log writes its letters to.

A log writes into a folder that contains no letters yet, so no earlier letter is
overwritten. The folder offered by default is the first free one of
``letters/SEGMENT_NO``, ``letters/SEGMENT_NO-2``, ``letters/SEGMENT_NO-3`` and so on
in the user data folder. Later names are needed when a segment with the same number
was logged before: ``segtui demo`` run again, a segment deleted and created again,
or two databases sharing one user data folder.

A log claims its folder with an exclusive flock on the file ``CLAIM_FILE_NAME`` in
it, and removes the file once its letters are written. So two logs, of one database
or of two, never write into the same folder at the same time. The operating system
drops the lock of a killed log, so the file it leaves behind claims nothing.
NOTE: on a network file system the lock holds only where it passes flock on to the
server, as Linux NFS clients do.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from segtui import paths
from segtui.domain.errors import InvalidValueError
from segtui.i18n import _

CLAIM_FILE_NAME = ".segtui-writing-letters"


def holds_letters(folder: Path) -> bool:
    """Tell whether ``folder`` contains a letter (a .docx file)."""
    return folder.is_dir() and any(folder.glob("*.docx"))


def is_claimed(folder: Path) -> bool:
    """Tell whether a running log has the lock on the claim file of ``folder``."""
    try:
        descriptor = os.open(folder / CLAIM_FILE_NAME, os.O_RDONLY)
    except OSError:
        return False
    try:
        # A shared lock is refused while a log holds the exclusive one.
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        # NOTE: a file system without locks cannot tell, and the folder counts as
        # free. claim_folder then fails too, and the log writes its letters there
        # unclaimed.
        return False
    finally:
        os.close(descriptor)
    return False


def is_free(folder: Path) -> bool:
    """Tell whether a log may write its letters to ``folder``."""
    if folder.exists() and not folder.is_dir():
        return False
    return not holds_letters(folder) and not is_claimed(folder)


def free_segment_folder(segment_no: str) -> Path:
    """Return the first free folder of ``paths.segment_letters_dir`` for a segment.

    The folder is not claimed, so another log may take it before this one does.
    """
    number = 1
    while not is_free(paths.segment_letters_dir(segment_no, number)):
        number += 1
    return paths.segment_letters_dir(segment_no, number)


def letters_problem(folder: Path) -> str | None:
    """Return why ``folder`` is in use by another log's letters, or None."""
    if holds_letters(folder):
        return _letters_message(folder)
    if folder.is_dir() and is_claimed(folder):
        return _claimed_message(folder)
    return None


def _letters_message(folder: Path) -> str:
    return _(
        "The output folder {folder} already contains letters; choose an empty or new folder."
    ).format(folder=folder)


def _claimed_message(folder: Path) -> str:
    return _(
        "Another log is writing letters to the output folder {folder}; choose "
        "another folder, or log again when that log has ended."
    ).format(folder=folder)


class FolderInUseError(InvalidValueError):
    """Raised when another log has claimed the folder or written letters to it."""


class FolderClaim:
    """A log's claim on its letters folder, held until ``release``."""

    def __init__(self, folder: Path, descriptor: int, created: list[Path]) -> None:
        self.folder = folder
        # The open claim file, which holds the lock.
        self.descriptor = descriptor
        # The folders the claim created, outermost first.
        self.created = created

    def release(self) -> None:
        """Remove the claim file, and the folders the claim created if still empty.

        The file is removed before its lock is dropped, so a log that opened it
        meanwhile finds, once it has the lock, that the file is gone.
        """
        (self.folder / CLAIM_FILE_NAME).unlink(missing_ok=True)
        os.close(self.descriptor)
        _remove_empty_folders(self.created)


# How often and how far apart a claim tries the lock before it gives up, because
# is_claimed holds a shared lock on the file for an instant.
LOCK_ATTEMPTS = 5
LOCK_RETRY_SECONDS = 0.02


def claim_folder(folder: Path) -> FolderClaim:
    """Create ``folder`` if needed and claim it for one log's letters.

    Raises FolderInUseError when another log has the claim or wrote letters to
    the folder, and OSError when the folder or the claim file cannot be created.
    """
    created = _missing_folders(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = _lock_claim_file(folder / CLAIM_FILE_NAME)
    except BaseException:
        _remove_empty_folders(created)
        raise
    if descriptor is None:
        _remove_empty_folders(created)
        raise FolderInUseError(_claimed_message(folder))
    os.ftruncate(descriptor, 0)
    os.write(descriptor, f"{os.getpid()}\n".encode())
    claim = FolderClaim(folder, descriptor, created)
    # Another log may have written its letters and removed its claim between the
    # check before the claim and the claim itself.
    if holds_letters(folder):
        claim.release()
        raise FolderInUseError(_letters_message(folder))
    return claim


def _lock_claim_file(path: Path) -> int | None:
    """Return the open claim file, locked for this log, or None if a log has it."""
    for _attempt in range(LOCK_ATTEMPTS):
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            time.sleep(LOCK_RETRY_SECONDS)
            continue
        except BaseException:
            os.close(descriptor)
            raise
        # The log that held the lock removed the file before dropping the lock, so
        # the lock counts only while the file at the path is the one locked.
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        locked = os.fstat(descriptor)
        if current is not None and (current.st_dev, current.st_ino) == (
            locked.st_dev,
            locked.st_ino,
        ):
            return descriptor
        os.close(descriptor)
    return None


def _missing_folders(folder: Path) -> list[Path]:
    """Return the folders that do not exist on the way to ``folder``, outermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing[::-1]


def _remove_empty_folders(folders: list[Path]) -> None:
    """Remove the folders a claim created, innermost first, while they are empty."""
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:
            return
