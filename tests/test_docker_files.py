"""The production image and compose file, checked without a Docker engine: everything
the image runs is in the image, every service runs a module that exists, one beat, and
the settings the compose file sets are the ones `.env.example` documents."""

import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "docker" / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]


def _packages() -> list[str]:
    pyproject = (ROOT / "pyproject.toml").read_text()
    include = re.search(r"include = \[(.*?)\]", pyproject).group(1)
    return [name.strip().strip('"').rstrip("*") for name in include.split(",")]


def _module_exists(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _instruction(name: str) -> list[str]:
    line = re.findall(rf"^{name} (\[.*\])$", DOCKERFILE, flags=re.MULTILINE)[-1]
    return yaml.safe_load(line)


def test_the_image_copies_every_package_of_the_project():
    copied = set(re.findall(r"^COPY (\S+) \./", DOCKERFILE, flags=re.MULTILINE))
    missing = [package for package in _packages() if package not in copied]
    assert not missing, f"not copied into the image: {missing}"


def test_the_image_is_multi_stage_runs_unprivileged_and_checks_its_health():
    assert len(re.findall(r"^FROM python:3\.\d+-slim AS", DOCKERFILE, flags=re.MULTILINE)) == 2
    assert re.search(r"^USER zuwendo$", DOCKERFILE, flags=re.MULTILINE)
    assert "compilemessages" in DOCKERFILE and "collectstatic" in DOCKERFILE
    assert re.search(r"^HEALTHCHECK .*\n.*/healthz", DOCKERFILE, flags=re.MULTILINE)


def test_the_images_entry_point_is_gunicorn_serving_a_module_that_exists():
    assert _instruction("ENTRYPOINT") == ["gunicorn"]
    assert _module_exists(_instruction("CMD")[0])


def _command(service: dict) -> list[str]:
    entrypoint = service.get("entrypoint") or _instruction("ENTRYPOINT")
    command = service.get("command") or _instruction("CMD")
    words = shlex.split(command) if isinstance(command, str) else list(command)
    return list(entrypoint) + words


def test_every_app_service_runs_something_that_exists():
    from django.core.management import get_commands

    for name, service in SERVICES.items():
        if "image" in service and not service["image"].startswith("zuwendo"):
            continue  # postgres, redis
        words = _command(service)
        if words[0] == "gunicorn":
            assert _module_exists(words[1]), name
        elif words[:2] == ["python", "manage.py"]:
            assert words[2] in get_commands(), name
        elif words[0] == "celery":
            assert _module_exists(f"{words[words.index('-A') + 1]}.celery"), name
        else:
            raise AssertionError(f"{name}: unknown command {words}")


def test_one_beat_workers_for_mail_and_reports_and_named_volumes():
    assert SERVICES["beat"]["deploy"]["replicas"] == 1
    assert "beat" in _command(SERVICES["beat"])
    queues = _command(SERVICES["worker"])[_command(SERVICES["worker"]).index("-Q") + 1]
    assert {"mail", "reports"} <= set(queues.split(","))
    assert {"pgdata", "media"} <= set(COMPOSE["volumes"])
    for name in ("db", "redis", "worker"):
        assert "test" in SERVICES[name]["healthcheck"], name


def test_the_compose_files_settings_are_documented_in_env_example():
    documented = (ROOT / ".env.example").read_text()
    for key in SERVICES["web"]["environment"]:
        assert re.search(rf"^# {key}=", documented, flags=re.MULTILINE), key
