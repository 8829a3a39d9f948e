"""segtui: segments, interactions and merged Word letters in the terminal."""

import sys

__version__ = "0.1.0"

# PostgreSQL drivers that peewee tries to import while it loads. segtui.db imports
# psycopg itself when it opens a PostgreSQL database.
_DEFERRED_DRIVERS = frozenset({"psycopg", "psycopg2"})


class _DeferPostgresDriver:
    """A meta path finder that turns away peewee's own import of a PostgreSQL driver.

    peewee imports psycopg when it loads, even for SQLite. Measured here, that took
    about 60 ms of the roughly 430 ms segtui needs to show its first screen. Only
    imports made while peewee itself is loading are turned away, so any other code
    still gets the driver. sys.meta_path needs only find_spec, so the class does not
    subclass importlib.abc.MetaPathFinder, whose module loads importlib.resources.
    """

    def find_spec(self, fullname, path, target=None):  # noqa: ANN001, ANN201
        if fullname in _DEFERRED_DRIVERS and _peewee_is_loading():
            raise ModuleNotFoundError(
                f"{fullname} is imported by segtui.db when it opens PostgreSQL"
            )
        return None


def _peewee_is_loading() -> bool:
    module = sys.modules.get("peewee")
    spec = getattr(module, "__spec__", None)
    return bool(getattr(spec, "_initializing", False))


if "peewee" not in sys.modules:
    sys.meta_path.insert(0, _DeferPostgresDriver())
