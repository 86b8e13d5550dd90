"""#21: the modules of each app import each other one way (grimp, on which import-linter
is built, reads every import, those inside functions too): the money code once sat in a
circle (models → lifecycle → conditions → selectors and funding → models)."""

import grimp
import pytest

APPS = ["core", "grants", "projects", "workflows", "reports"]


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*APPS)


@pytest.mark.parametrize("app", APPS)
def test_no_import_circle_inside_an_app(graph, app):
    modules = sorted(m for m in graph.modules if m == app or m.startswith(f"{app}."))
    circles = [
        (first, second)
        for index, first in enumerate(modules)
        for second in modules[index + 1 :]
        if graph.chain_exists(importer=first, imported=second)
        and graph.chain_exists(importer=second, imported=first)
    ]
    assert circles == [], circles
