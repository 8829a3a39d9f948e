"""Reading a file the user named by its path, with messages that name the fix."""

from __future__ import annotations

import tempfile
from pathlib import Path

from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.i18n import _


def read_user_file(path: Path) -> bytes:
    """Return the bytes of a file the user named, or raise naming the path and the fix.

    ``~`` is expanded, and a relative path is read from the working folder, which
    the message for a missing file names.
    """
    path = Path(path).expanduser()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(
            _(
                "{path} does not exist; check the path. A relative path starts in "
                "{folder}."
            ).format(path=path, folder=Path.cwd())
        ) from None
    except IsADirectoryError:
        raise InvalidValueError(
            _("{path} is a folder; give the path of a file.").format(path=path)
        ) from None
    except OSError as error:
        raise InvalidValueError(
            _("{path} cannot be read: {error}.").format(
                path=path, error=error.strerror or error
            )
        ) from None


def folder_write_problem(folder: Path) -> str | None:
    """Return why files cannot be written into ``folder``, or None.

    A missing folder passes when it can be created. Creating a folder is tried for
    real, in the nearest folder that exists, because permission bits alone do not
    tell (a read-only mount, /proc, a full disk).
    """
    if folder.exists() and not folder.is_dir():
        return _("The output folder {folder} is a file; choose a folder.").format(
            folder=folder
        )
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        trial = Path(tempfile.mkdtemp(prefix=".segtui-check-", dir=existing))
        trial.rmdir()
    except OSError as error:
        return _(
            "The output folder {folder} cannot be created or written ({error}); "
            "choose another folder."
        ).format(folder=folder, error=error.strerror or error)
    return None
