"""Environment variables (or an env file) switch Kerma to PostgreSQL, Redis and a real worker."""

from __future__ import annotations

from pathlib import Path

from tests.registry.settings_probe import load_settings

PRODUCTION = {
    "DEBUG": "off",
    "SECRET_KEY": "s3cret-for-tests",
    "KERMA_PSEUDONYM_KEY": "pseudonym-key-for-tests",
    "ALLOWED_HOSTS": "kerma.example.org",
    "DATABASE_URL": "postgres://kerma:pw@db.example.org:5432/kerma",
    "CELERY_BROKER_URL": "redis://cache.example.org:6379/0",
}


def test_database_url_selects_postgresql() -> None:
    loaded = load_settings(**PRODUCTION)
    assert loaded["ENGINE"] == "django.db.backends.postgresql"
    assert (loaded["HOST"], loaded["NAME"]) == ("db.example.org", "kerma")


def test_broker_url_sends_tasks_to_redis_and_stores_results_there() -> None:
    loaded = load_settings(**PRODUCTION)
    assert loaded["broker_url"] == "redis://cache.example.org:6379/0"
    assert loaded["result_backend"] == "redis://cache.example.org:6379/0"
    assert loaded["task_always_eager"] is False


def test_secrets_and_hosts_come_from_the_environment() -> None:
    loaded = load_settings(**PRODUCTION)
    assert loaded["DEBUG"] is False
    assert loaded["SECRET_KEY"] == "s3cret-for-tests"
    assert loaded["KERMA_PSEUDONYM_KEY"] == "pseudonym-key-for-tests"
    assert loaded["ALLOWED_HOSTS"] == ["kerma.example.org"]


def test_an_env_file_is_read_when_present(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "DATABASE_URL=postgres://kerma@127.0.0.1:5432/from_file\nKERMA_MAX_UPLOAD_BYTES=1024\n"
    )
    loaded = load_settings(KERMA_ENV_FILE=str(env_file))
    assert loaded["NAME"] == "from_file"
    assert loaded["KERMA_MAX_UPLOAD_BYTES"] == 1024
