"""Schema version 12: the contact search reads folded text stored on PostgreSQL.

Before, four pg_trgm indexes covered the folded number, name, city and email. A
word of one or two letters has no trigram, so PostgreSQL folded the four columns
of every contact for each such search, with normalize() and regexp_replace(). A
stored generated column now holds the folded text, computed once per write, and
one trigram index on it replaces the four.

SQLite keeps its FTS5 table, which stores the folded text already, so this
migration changes nothing there.

Like migrations 8 and 11, it calls ``install_search_index``, which builds the
current layout of the search index and skips what exists, so running it again
changes nothing.
"""

from __future__ import annotations

from peewee import Database, SqliteDatabase


def stored_search_text(database: Database) -> None:
    """Add the stored search text with its index on PostgreSQL, and drop the old ones."""
    if isinstance(database, SqliteDatabase):
        return
    from segtui.models.contact_search import install_search_index

    install_search_index(database)
