"""Reading a file the user named by its path, with messages that name the fix."""

from __future__ import annotations

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
