"""Browser tests: Debian's headless Chromium, driven by Playwright, against `live_server`.

Nothing is downloaded: the browser is the system one (GOVTRAIN_CHROMIUM, set by the
Makefile) and axe-core is read from node_modules. Every page a test visits is checked
with `assert_accessible`; the page fixture also fails a test on any script error or
console error (a Content-Security-Policy refusal or a failed htmx request shows up there).
"""

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from govtrain.testing import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django refuses database
# access from such a thread unless told that it is not really async code. (For the rest
# of the session too: the browser stays up until the end.)
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@functools.cache
def axe_injection() -> str:
    """axe-core's source, wrapped to be evaluated in the page (it sets `window.axe`)."""
    if not AXE.exists():
        pytest.fail(f"No {AXE}: run `npm ci` (or `make setup`).")
    return f"() => {{\n{AXE.read_text(encoding='utf-8')}\n}}"


def chromium_path() -> str:
    """Debian's Chromium: never `playwright install`, whatever Playwright suggests."""
    configured = os.environ.get("GOVTRAIN_CHROMIUM")
    if configured:
        if not Path(configured).exists():
            pytest.fail(f"GOVTRAIN_CHROMIUM={configured} does not exist: run `make browser`.")
        return configured
    for name in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium"):
        if Path(name).exists():
            return name
    found = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if not found:
        pytest.fail("No Chromium: run `make browser` (Debian's chromium-headless-shell).")
    return found


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest, django_db_setup: None) -> Iterator[LiveServer]:
    """pytest-django's live server, started only once the test database exists.

    Started earlier (pytest orders session fixtures by how tests name them), it would not
    see the in-memory SQLite database to share, and each request would open a connection
    of its own. Sharing the test's connection is what Django's LiveServerTestCase does.
    """
    address = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Sessions and import progress live in the cache; ids restart after each flush."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def on_page_error(error: Error) -> None:
        problems.append(f"script error: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    yield page
    context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: GOVTRAIN_BROWSER_SHOTS if set (to look at them), else tmp."""
    folder = Path(os.environ.get("GOVTRAIN_BROWSER_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("PEN or username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("/")  # the dashboard


def _assert_accessible(page: Page) -> None:
    """Fail on any serious or critical WCAG 2.1 A/AA violation that axe-core finds."""
    page.wait_for_load_state()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, not as an inline <script>: the app's
        # Content-Security-Policy (rightly) refuses inline scripts, and stays on.
        page.evaluate(axe_injection())
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((n) => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
    serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
    report = "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}\n    at {', '.join(v['targets'])}"
        for v in serious
    )
    assert not serious, f"axe found accessibility violations on {page.url}:\n{report}"


# Helpers as fixtures: test modules here are not a package, so they cannot import them.
@pytest.fixture(name="log_in")
def log_in_fixture() -> Callable[..., None]:
    """`log_in(page, username, password=PASSWORD)` through the real login form."""
    return _log_in


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture() -> Callable[[Page], None]:
    """`assert_accessible(page)`: axe-core's WCAG 2.1 A/AA check of the page as it is."""
    return _assert_accessible
