"""scripts/backup.sh and scripts/restore.sh: a backup restored into a new database holds the same rows,
its published reports still match their hashes, and people can sign in to it.

The data is committed (transactional tests) so that pg_dump, another process, sees it; the restore goes
into a new database on the test server (the test role may create databases).
"""

import os
import subprocess
import sys

import psycopg2
import pytest
from django.db import connection

from reports.publishing import publish_report
from scoring.services import finalise_scores
from tests.factories import PASSWORD, make_assessed_cases, seen_report, seen_scores
from tests.pg_cluster import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

SIGN_IN = f"""
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
refused = Client().post("/sign-in/", {{"username": "lead", "password": "not-the-password"}})
client = Client()
signed_in = client.post("/sign-in/", {{"username": "lead", "password": "{PASSWORD}"}})
home = client.get("/")
print(refused.status_code, signed_in.status_code, signed_in.headers.get("Location"), home.status_code,
      home.context["user"].username)
"""


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are for PostgreSQL (scripts/test.sh runs one)")


def _url(name: str) -> str:
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT']}/{name}"


@pytest.fixture
def restored(postgres):
    """A new empty database beside the test database, dropped afterwards; its name."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def published_record(inspection, lead, admin_user):
    """Assessed cases, finalised scores and a published report (PDF, snapshot and hash)."""
    make_assessed_cases(inspection, 4, values=lambda i: {"1.1.03": "too_high" if i == 0 else "correct"})
    finalise_scores(user=lead, inspection=inspection, seen=seen_scores(inspection))
    inspection.refresh_from_db()
    return publish_report(user=admin_user, inspection=inspection, seen=seen_report(inspection))


def _run(*args: str, database_url: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "PYTHON": sys.executable}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def _contents(cursor) -> dict[str, tuple[int, str]]:
    """Every table: its row count and a digest of all its rows."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [name for (name,) in cursor.fetchall()]
    contents = {}
    for table in tables:
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
        )
        contents[table] = cursor.fetchone()
    return contents


def _restored_contents(name: str) -> dict[str, tuple[int, str]]:
    db = psycopg2.connect(_url(name))
    try:
        with db.cursor() as cursor:
            return _contents(cursor)
    finally:
        db.close()


def test_backup_restores_into_a_new_database_with_the_same_rows_hashes_and_sign_in(
    published_record, restored, tmp_path
):
    backup = tmp_path / "site.dump"
    made = _run("bash", "scripts/backup.sh", str(backup), database_url=_url(connection.settings_dict["NAME"]))
    assert made.returncode == 0, made.stderr
    assert backup.exists() and not backup.with_name("site.dump.partial").exists()
    assert f"backup written: {backup}" in made.stdout

    done = _run("bash", "scripts/restore.sh", str(backup), database_url=_url(restored))
    assert done.returncode == 0, done.stderr
    assert "1 published version verified" in done.stdout

    with connection.cursor() as cursor:
        original = _contents(cursor)
    assert original["reports_publishedreport"][0] == 1 and original["auth_user"][0] >= 2
    assert original["cases_answer"][0] > 0 and original["scoring_scoresnapshot"][0] == 1
    assert _restored_contents(restored) == original

    signed_in = _run(sys.executable, "manage.py", "shell", "-c", SIGN_IN, database_url=_url(restored))
    assert signed_in.returncode == 0, signed_in.stderr
    # Wrong password refused (the form again, 200); the right one redirects home, where lead is signed in.
    assert signed_in.stdout.strip().splitlines()[-1].split() == ["200", "302", "/", "200", "lead"]

    # Restoring again over the restored copy needs --replace, and gives the same rows.
    refused = _run("bash", "scripts/restore.sh", str(backup), database_url=_url(restored))
    assert refused.returncode == 2 and "already has" in refused.stderr and "--replace" in refused.stderr
    again = _run("bash", "scripts/restore.sh", "--replace", str(backup), database_url=_url(restored))
    assert again.returncode == 0, again.stderr
    assert _restored_contents(restored) == original


def test_restore_refuses_a_file_that_is_not_a_backup_and_writes_nothing(restored, tmp_path):
    fake = tmp_path / "notes.dump"
    fake.write_text("not a dump\n")
    refused = _run("bash", "scripts/restore.sh", str(fake), database_url=_url(restored))
    assert refused.returncode == 2 and "not a backup made by scripts/backup.sh" in refused.stderr
    missing = _run("bash", "scripts/restore.sh", str(tmp_path / "missing.dump"), database_url=_url(restored))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert _restored_contents(restored) == {}


def test_backup_needs_a_postgresql_url_and_a_new_file(postgres, tmp_path):
    unset = _run("bash", "scripts/backup.sh", str(tmp_path / "a.dump"), database_url=None)
    assert unset.returncode == 2 and "DATABASE_URL is not set" in unset.stderr
    sqlite = _run("bash", "scripts/backup.sh", str(tmp_path / "a.dump"), database_url="sqlite:///var/demo.sqlite3")
    assert sqlite.returncode == 2 and "postgres://" in sqlite.stderr
    existing = tmp_path / "b.dump"
    existing.write_text("keep me")
    clash = _run("bash", "scripts/backup.sh", str(existing), database_url=_url(connection.settings_dict["NAME"]))
    assert clash.returncode == 2 and "already exists" in clash.stderr and existing.read_text() == "keep me"
    restore = _run("bash", "scripts/restore.sh", database_url=_url(connection.settings_dict["NAME"]))
    assert restore.returncode == 2 and "usage" in restore.stderr
