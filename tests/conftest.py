"""Fixtures shared by the tests: real SQLite files, the sample data, a small world."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database

from segtui.db import open_database
from tests.builders import World, build_world

TEST_USER = "tester"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's data folders and settings inside its own tmp_path."""
    for name in (
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_STATE_HOME",
        "XDG_CACHE_HOME",
    ):
        monkeypatch.setenv(name, str(tmp_path / "xdg" / name.lower()))
    for name in (
        "SEGTUI_DATABASE",
        "SEGTUI_SMTP_HOST",
        "SEGTUI_SMTP_PORT",
        "SEGTUI_SMTP_USER",
        "SEGTUI_SMTP_PASSWORD",
        "SEGTUI_SMTP_PASSWORD_FILE",
        "SEGTUI_SMTP_FROM",
        "SEGTUI_SMTP_SECURITY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SEGTUI_TODAY", "2026-12-04")


def sqlite_url(path: Path) -> str:
    return "sqlite:///" + str(path)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """A new, empty segtui database in a SQLite file."""
    database = open_database(sqlite_url(tmp_path / "segtui.sqlite3"))
    yield database
    database.close()


@pytest.fixture
def world(database: Database) -> World:
    """A small, hand-made set of contacts and setup for exact expectations."""
    return build_world()


@pytest.fixture(scope="session")
def sample_database_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the shipped sample data, built once per test session."""
    from segtui.domain.sample_data import load_sample_data

    path = tmp_path_factory.mktemp("sample") / "sample.sqlite3"
    database = open_database(sqlite_url(path))
    load_sample_data(TEST_USER)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def sample_database_path(sample_database_file: Path, tmp_path: Path) -> Path:
    """A private copy of the sample database file for one test."""
    path = tmp_path / "sample.sqlite3"
    shutil.copyfile(sample_database_file, path)
    return path


@pytest.fixture
def sample_database(sample_database_path: Path) -> Iterator[Database]:
    """The sample database, open, in a private copy."""
    database = open_database(sqlite_url(sample_database_path))
    yield database
    database.close()
