"""An administrator imports the HR export and watches it run in a real Celery worker."""

from collections.abc import Iterator
from pathlib import Path

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from playwright.sync_api import Page, expect

from govtrain.celery import app as celery_app
from govtrain.people.models import Employee, ImportJob
from govtrain.people.tests.conftest import HEADER

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("references")]

# Big enough that each run lasts a few polls of the page (htmx asks every second; at 20,000
# rows a run now and then fell between two polls), small enough for a test of seconds.
ROWS = 30_000
FIRST_PEN = 8_300_000

# Records every value the progress bar takes, whatever replaced it (htmx swaps the whole
# status panel, so the observer watches <main> and reads the bar afresh).
WATCH_PROGRESS = """() => {
    window.progressSeen = [];
    const note = () => {
        const bar = document.getElementById('import-progress');
        const seen = window.progressSeen;
        if (bar && bar.value !== seen[seen.length - 1]) seen.push(bar.value);
    };
    note();
    new MutationObserver(note).observe(document.querySelector('main'),
        {childList: true, subtree: true, attributes: true});
}"""


def forget_broker_connections() -> None:
    """Make the app connect afresh to whatever broker it is configured with next."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(settings) -> Iterator[None]:
    """A real Celery worker in this process, consuming a real (in-memory) queue.

    It runs tasks in its own thread with its own database connection. Django's in-memory
    test database is a shared-cache SQLite memory database, so that connection sees what
    the live server (which shares the test's connection) writes; on PostgreSQL they are
    simply two connections. Progress goes through the cache, local memory in tests, which
    the worker thread and the live server share as well.
    """
    # Celery reads the CELERY_* Django settings through, so what to restore is read first.
    names = ("task_always_eager", "broker_url", "broker_transport_options")
    saved = {name: celery_app.conf[name] for name in names}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Shared-cache SQLite locks whole tables: while the worker's import transaction
    # writes accounts_user, the live server could not even look up the logged-in user
    # ("database table is locked", and no busy timeout applies). Let the live server's
    # connection read without table locks, as readers never wait for the writer on a
    # WAL database in production.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")
    # Eager tasks that ran earlier in the session left a producer pool bound to the
    # configured broker (./var's SQLite file, which a local worker would consume): drop it.
    forget_broker_connections()
    celery_app.conf.update(
        task_always_eager=False,
        broker_url="memory://",
        broker_transport_options={"polling_interval": 0.1},  # start and stop promptly
    )
    with celery_app.producer_or_acquire() as producer:
        assert producer.connection.transport_cls == "memory", producer.connection.as_uri()
    try:
        with start_worker(celery_app, perform_ping_check=False, pool="solo"):
            yield
    finally:
        celery_app.conf.update(saved)
        forget_broker_connections()
        # kombu keeps its own registry of pools per broker address, which would hand the
        # closed ones back to the next eager task (eager tasks borrow a producer too).
        kombu.pools.reset()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA read_uncommitted = 0")


@pytest.fixture
def hr_export(tmp_path: Path) -> Path:
    """A clean export: two departments, a controlling officer for every 50 employees."""
    lines = [HEADER]
    for i in range(ROWS):
        pen = FIRST_PEN + i
        officer = "" if i % 50 == 0 else str(FIRST_PEN + i // 50 * 50)
        office, cls, desig = ("REV-TVM", "SUB", "CLK") if i % 3 else ("HFW-TVM", "SS-B", "TAH")
        lines.append(
            f"{pen},Employee {i},ജീവനക്കാരി {i},F,{cls},{'REVS' if i % 2 else ''},{desig},"
            f"{office},2012-06-{1 + i % 28:02d},active,e{pen}@demo.invalid,"
            f"+91 94{pen:08d},{officer}\n"
        )
    path = tmp_path / "spark-export.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def watch_progress(page: Page) -> None:
    page.evaluate(WATCH_PROGRESS)


def progress_until_finished(page: Page) -> list[float]:
    """The values the progress bar took since `watch_progress`, once the job has ended."""
    status = page.locator("#import-status")
    expect(status.locator("dl.totals")).to_be_visible(timeout=30_000)
    expect(status).not_to_have_attribute("hx-get", r".*")
    return page.evaluate("() => window.progressSeen")


def test_administrator_watches_the_import_progress_then_applies_it(
    page, admin, worker, hr_export, log_in, assert_accessible, shots
) -> None:
    log_in(page, "stateadmin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    assert_accessible(page)

    page.get_by_label("HR export (CSV or XLSX)").set_input_files(hr_export)
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dry run: spark-export.csv")
    progress = page.get_by_role("progressbar", name="Progress")
    expect(progress).to_be_visible()
    watch_progress(page)
    assert_accessible(page)  # the page as it runs
    dry_run_seen = progress_until_finished(page)
    expect(progress).to_have_attribute("value", "100")
    totals = page.locator("#import-status dl.totals dd")
    expect(totals).to_have_text([str(ROWS), "0", "0", "0"])  # would add, change, same, errors
    expect(page.get_by_role("status")).to_have_text("Dry run: nothing was changed.")
    assert Employee.objects.count() == 0
    assert_accessible(page)

    page.get_by_role("button", name="Apply this import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import: spark-export.csv")
    watch_progress(page)
    applied_seen = progress_until_finished(page)
    expect(progress).to_have_attribute("value", "100")
    expect(page.get_by_role("status")).to_have_text("The import was applied.")
    expect(totals).to_have_text([str(ROWS), "0", "0", "0"])  # added, changed, same, errors
    expect(page.get_by_role("button", name="Apply this import")).to_have_count(0)
    page.screenshot(path=shots / "import-finished.png", full_page=True)
    assert_accessible(page)
    for run in (dry_run_seen, applied_seen):
        assert run[0] < 100, f"the page never showed the job running: {run}"
        assert run == sorted(run), f"the progress went back: {run}"
    seen = dry_run_seen + applied_seen
    assert any(0 < value < 100 for value in seen), f"no progress between the ends: {seen}"
    assert Employee.objects.count() == ROWS
    assert list(ImportJob.objects.values_list("dry_run", "status").order_by("pk")) == [
        (True, ImportJob.Status.SUCCEEDED),
        (False, ImportJob.Status.SUCCEEDED),
    ]
