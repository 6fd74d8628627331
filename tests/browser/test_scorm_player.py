"""The SCORM player in a real browser: a coordinator previews both sample packages to the
end, content scripts cannot reach the platform, and scorm-again loads a resume.

The live server listens on `localhost`; the content comes from `127.0.0.1` on the same port
(another site)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Frame, FrameLocator, Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from govtrain import testing as t
from govtrain.people.models import Employee
from govtrain.scorm import samples
from govtrain.scorm.models import Package
from govtrain.scorm.origins import ContentGrant, token_make
from govtrain.scorm.runtime import RuntimeSummary, initial_cmi
from govtrain.scorm.services import package_import
from govtrain.scorm.tests.zips import upload

pytestmark = pytest.mark.browser


def sco_frame(page: Page) -> FrameLocator:
    return page.frame_locator("iframe.scorm-player-frame").frame_locator("iframe.scorm-sco-frame")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_coordinator_plays_a_sample_package_to_the_end_in_the_preview(
    page: Page,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    coordinator: Employee,
    version: str,
) -> None:
    package = package_import(
        upload=upload(samples.build(version)), by=coordinator.user, provider=t.make_provider("IMG")
    )
    log_in(page, coordinator.pen)
    commits: list[dict[str, Any]] = []

    def record(request: Request) -> None:
        if request.url.endswith(f"/scorm/packages/{package.pk}/preview/"):
            commits.append(request.post_data_json or {})

    page.on("request", record)

    page.goto(f"/scorm/packages/{package.pk}/")
    sco = sco_frame(page)
    expect(sco.get_by_role("heading", name="What the Act gives every citizen")).to_be_visible()
    assert_accessible(page)
    sco.get_by_role("button", name="Next: a short quiz").click()
    sco.get_by_label("30 days").check()
    sco.get_by_label("No").check()
    sco.get_by_label("7 days").check()
    sco.get_by_role("button", name="Submit answers").click()
    expect(sco.get_by_text("You answered 2 of 3 correctly: passed.")).to_be_visible()
    # The answers' commit already brings the status line below: wait for the answer to the
    # finishing commit (LMSFinish / Terminate) before reading the commits.
    with page.expect_response(
        lambda r: (
            r.url.endswith(f"/scorm/packages/{package.pk}/preview/")
            and (r.request.post_data_json or {}).get("finished") is True
        ),
        timeout=15_000,
    ):
        sco.get_by_role("button", name="Finish the lesson").click()

    status = page.locator("[data-scorm-status]")
    expect(status).to_have_text(
        "Preview (nothing is recorded): completed, passed, score 67 %.", timeout=15_000
    )
    final = commits[-1]
    assert final["finished"] is True
    assert final["version"] == version
    assert final["sco"] == "item_rti"
    assert [commit["sequence"] for commit in commits] == list(range(1, len(commits) + 1))
    # The content's origin is another site: it never received the platform's cookies.
    content_frame = next(f for f in page.frames if f.url.startswith("http://127.0.0.1:"))
    assert content_frame.evaluate("() => document.cookie") == ""
    assert_accessible(page)


def test_content_scripts_cannot_reach_the_platform_page(
    page: Page, log_in: Callable[..., None], coordinator: Employee
) -> None:
    package = package_import(
        upload=upload(samples.build("1.2")), by=coordinator.user, provider=t.make_provider("IMG")
    )
    log_in(page, coordinator.pen)
    page.goto(f"/scorm/packages/{package.pk}/")
    expect(sco_frame(page).get_by_role("heading", level=1)).to_be_visible()
    sco: Frame = next(f for f in page.frames if "/f/sco/index.html" in f.url)

    reach = sco.evaluate(
        """async () => {
            let dom = 'blocked';
            try { dom = window.top.document.title; } catch (e) {}
            const own = await fetch('/', {credentials: 'include'});
            return {dom, url: own.url};
        }"""
    )

    # The platform page is another origin: its DOM is out of reach.
    assert reach["dom"] == "blocked"
    # The content's own host has no session: the platform's cookie is host-only.
    assert reach["url"].endswith("/login/?next=/")


def test_scorm_again_accepts_the_initial_data_of_a_resume(
    page: Page, live_server: LiveServer, coordinator: Employee
) -> None:
    """What the platform sends to resume (suspend data, location, status, time) loads."""
    package: Package = package_import(
        upload=upload(samples.build("1.2")), by=coordinator.user, provider=t.make_provider("IMG")
    )
    sco = package.default_sco
    assert sco is not None
    port = live_server.url.rsplit(":", 1)[1]
    token = token_make(
        ContentGrant(
            package_id=package.pk,
            sco_id=sco.pk,
            attempt="1",
            platform_origin=f"http://localhost:{port}",
            content_origin=f"http://127.0.0.1:{port}",
        )
    )
    resume = RuntimeSummary(
        version="1.2",
        completion="incomplete",
        success="unknown",
        score_scaled=None,
        score_raw=None,
        total_seconds=125,
        session_seconds=0,
        location="page-2",
        suspend_data='{"page":2}',
        exit="suspend",
    )
    initial = initial_cmi(
        "1.2",
        learner_id="8100001",
        learner_name="Asha",
        resume=resume,
        mastery_score=sco.mastery_score,
    )
    page.goto(f"http://127.0.0.1:{port}/scorm-content/{token}/f/sco/sco.css")
    page.add_script_tag(url="/static/vendor/scorm-again/scorm12.min.js")

    values = page.evaluate(
        """(initial) => {
            const api = new Scorm12API({lmsCommitUrl: false, logLevel: 5});
            api.loadFromJSON(initial, '');
            api.LMSInitialize('');
            const names = ['cmi.core.entry', 'cmi.core.lesson_location', 'cmi.suspend_data',
                           'cmi.core.lesson_status', 'cmi.core.student_id',
                           'cmi.student_data.mastery_score'];
            const out = Object.fromEntries(names.map((n) => [n, api.LMSGetValue(n)]));
            api.LMSFinish('');
            out.total = api.renderCommitCMI(true, true).cmi.core.total_time;
            return out;
        }""",
        initial,
    )

    assert values == {
        "cmi.core.entry": "resume",
        "cmi.core.lesson_location": "page-2",
        "cmi.suspend_data": '{"page":2}',
        "cmi.core.lesson_status": "incomplete",
        "cmi.core.student_id": "8100001",
        "cmi.student_data.mastery_score": "66",
        "total": values["total"],
    }
    assert values["total"].startswith("00:02:0")
