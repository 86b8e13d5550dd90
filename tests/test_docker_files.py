"""The production image and compose file, checked without a Docker engine: everything
the image runs is in the image, and every service names a module that exists."""

import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "docker" / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())


def _packages() -> list[str]:
    pyproject = (ROOT / "pyproject.toml").read_text()
    include = re.search(r"include = \[(.*?)\]", pyproject).group(1)
    return [name.strip().strip('"').rstrip("*") for name in include.split(",")]


def test_the_image_copies_every_package_of_the_project():
    copied = set(re.findall(r"^COPY (\S+) \./", DOCKERFILE, flags=re.MULTILINE))
    missing = [package for package in _packages() if package not in copied]
    assert not missing, f"not copied into the image: {missing}"


def _module_exists(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_the_images_command_names_a_module_that_exists():
    command = re.search(r"^CMD (\[.*\])", DOCKERFILE, flags=re.MULTILINE).group(1)
    words = yaml.safe_load(command)
    assert words[0] == "gunicorn"
    assert _module_exists(words[1]), words[1]


def test_every_service_runs_something_that_exists():
    for name, service in COMPOSE["services"].items():
        command = service.get("command")
        if command is None:
            continue
        words = shlex.split(command) if isinstance(command, str) else command
        if words[:2] == ["python", "manage.py"]:
            assert (ROOT / "manage.py").exists()
        elif words[0] == "celery":
            app = words[words.index("-A") + 1]
            assert _module_exists(f"{app}.celery"), name
        else:
            raise AssertionError(f"{name}: unknown command {words}")
