"""Production settings: `check --deploy` is clean, HTTPS is enforced except for the
health probe, X-Forwarded-Proto is believed only behind a trusted proxy, and every
page carries a Content-Security-Policy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 30 + "production-like-secret-key-for-the-check",
    "ALLOWED_HOSTS": "zuwendo.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_manage(*args: str, **extra: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE: set in this process by the browser tests (tests/browser),
    # never in a deployment.
    dropped = ("SECURE_SSL_REDIRECT", "REQUIRE_2FA", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(PRODUCTION, **extra)
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("trusted", "expected"), [("0", "None"), ("1", "HTTP_X_FORWARDED_PROTO")])
def test_forwarded_proto_is_believed_only_behind_a_trusted_proxy(trusted, expected):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
        TRUSTED_PROXY=trusted,
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


def test_https_is_enforced_but_the_health_probe_answers_plain_http(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/api/programs/").status_code == 301
    assert client.get("/healthz").status_code == 200


def test_forged_forwarded_proto_does_not_make_a_request_secure(db, settings):
    settings.SECURE_SSL_REDIRECT = True  # the test run has no TRUSTED_PROXY: our default
    response = Client().get("/api/programs/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301


@pytest.mark.parametrize("path", ["/api/docs/", "/admin/login/", "/api/programs/", "/sign-in/"])
def test_every_page_has_a_content_security_policy(db, path):
    policy = Client().get(path)["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


def test_the_about_page_links_docs_admin_and_health(db):
    response = Client().get("/about/")
    assert response.status_code == 200
    page = response.content.decode()
    for link in ('href="/api/docs/"', 'href="/admin/"', 'href="/healthz"'):
        assert link in page


def test_production_requires_two_factor_sign_in_for_the_admin():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.REQUIRE_2FA)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")


def test_an_s3_bucket_moves_the_documents_to_the_object_store():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.STORAGES['default'];"
        "print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['default_acl'])",
        S3_BUCKET="zuwendo-dokumente",
        S3_ENDPOINT_URL="https://s3.koblenz.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "storages.backends.s3.S3Storage",
        "zuwendo-dokumente",
        "private",
    ]


@pytest.mark.parametrize(("setting", "expected"), [("1", "True 2"), ("0", "None None")])
def test_postgresql_prepares_repeated_queries_unless_turned_off(setting, expected):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS'];"
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))",
        DATABASE_URL="postgres://zuwendo@db.invalid:5432/zuwendo",
        DB_PREPARED_STATEMENTS=setting,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(expected)
