"""Browser tests (issue #23): pytest-playwright drives Debian's chromium through
``executable_path`` (no browser download is possible here), over a live server.

Without chromium they are reported as not run, naming the reason; where ``CI`` is set, a
missing browser fails the run instead."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
AXE = (Path(__file__).parent / "axe.min.js").read_text()
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    for item in items:
        if "tests/browser/" not in item.nodeid:
            continue
        if os.environ.get("CI"):
            raise pytest.UsageError(f"CI is set but there is no chromium at {CHROMIUM}")
        item.add_marker(pytest.mark.skip(reason=f"needs chromium at {CHROMIUM} (apt chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's sync API keeps an event loop in this process from the first browser
    # test to the end of the session; Django's synchronous database calls beside it are
    # safe (one thread), but Django cannot tell: it is told here, once.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE"}


def axe_violations(page) -> list[tuple[str, str, list]]:
    """axe-core's WCAG 2.1 A/AA violations of the page (vendored axe.min.js, MPL-2.0;
    evaluated through the DevTools protocol, which the page's CSP does not govern). A
    click that navigates returns before the new page is there: axe waits for it."""
    page.wait_for_load_state("load")
    page.evaluate(AXE + ";undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]][:3])
        for v in result["violations"]
    ]


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
