"""With nothing configured, Kerma runs on a SQLite file with Celery tasks run inline."""

from __future__ import annotations

from tests.registry.settings_probe import PROJECT_ROOT, load_settings


def test_database_is_a_sqlite_file_in_the_project_folder() -> None:
    loaded = load_settings()
    assert loaded["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["NAME"] == str(PROJECT_ROOT / "db.sqlite3")


def test_celery_runs_tasks_inline_and_propagates_their_errors() -> None:
    loaded = load_settings()
    assert loaded["task_always_eager"] is True
    assert loaded["task_eager_propagates"] is True
    assert loaded["result_backend"] is None


def test_debug_is_on_with_a_development_key_and_local_hosts() -> None:
    loaded = load_settings()
    assert loaded["DEBUG"] is True
    assert loaded["SECRET_KEY"]
    assert loaded["KERMA_PSEUDONYM_KEY"]
    assert loaded["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]


def test_uploads_are_capped_at_fifty_mebibytes() -> None:
    assert load_settings()["KERMA_MAX_UPLOAD_BYTES"] == 50 * 1024 * 1024
