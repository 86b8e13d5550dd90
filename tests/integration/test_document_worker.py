"""Documents asked for over HTTP are rendered by the real Celery worker on Redis (issue
#19: outside the request's worker), once per content."""

import pytest
from celery.worker import state

from reports.models import Document
from tests.factories import bring_to, client_for, make_application

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TASK = "reports.tasks.render_document"


def test_a_document_is_rendered_by_the_worker_and_then_served_as_kept(world, worker):
    application = make_application(world)
    url = f"/api/applications/{application.pk}/documents/application/"
    before = state.total_count.get(TASK, 0)

    first = client_for(world.sponsor_a).get(url)

    assert first.status_code == 200, first.content[:300]
    assert first["Content-Type"] == "application/pdf"
    assert state.total_count.get(TASK, 0) == before + 1  # the worker rendered it
    again = client_for(world.sponsor_a).get(url)
    assert again.status_code == 200
    assert state.total_count.get(TASK, 0) == before + 1  # unchanged: kept, no render
    assert Document.objects.filter(subject_id=application.pk, kind="application").count() == 1


def test_no_worker_answering_is_a_clean_503(world, settings):
    # Redis is up but nobody consumes the queue: the request gives up after its bound.
    settings.DOCUMENT_RENDER_SECONDS = 0.5
    application = make_application(world)
    response = client_for(world.sponsor_a).get(
        f"/api/applications/{application.pk}/documents/application/"
    )
    assert response.status_code == 503
    assert response.json()["code"] == "render_timeout"


def test_a_large_file_export_is_built_by_the_worker(world, worker, settings):
    """#22: the whole file over EXPORT_INLINE_BYTES is a 202, built by the real worker
    on Redis, then downloadable by the one who asked."""
    import time

    from reports.models import Export

    settings.EXPORT_INLINE_BYTES = -1  # every file is "large"
    application = bring_to(world, make_application(world), "submitted")
    answer = client_for(world.office).get(f"/api/applications/{application.pk}/export/")
    assert answer.status_code == 202, answer.content[:300]
    poll = answer["Location"]
    for _ in range(100):
        status = client_for(world.office).get(poll).json()["status"]
        if status not in ("pending", "running"):
            break
        time.sleep(0.2)
    assert status == "done", Export.objects.get().failure
    response = client_for(world.office).get(f"{poll}file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
