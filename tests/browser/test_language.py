"""Malayalam at one click, rendered with the self-hosted Noto Sans Malayalam web font."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FONT = "Noto Sans Malayalam"
MALAYALAM_FACE = "noto-sans-malayalam-malayalam-400-normal.woff2"


def test_malayalam_button_switches_the_page_and_renders_it_in_the_malayalam_web_font(
    page, learner_a, log_in, assert_accessible, shots
) -> None:
    fetched: list[tuple[str, int]] = []
    page.on("response", lambda r: fetched.append((r.url, r.status)))
    log_in(page, learner_a.pen)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="മലയാളം").click()

    expect(page.locator("html")).to_have_attribute("lang", "ml")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("സ്വാഗതം, അനിത കെ.")
    expect(page.get_by_role("button", name="English")).to_have_attribute("lang", "en")
    fonts = page.evaluate(
        """async (family) => {
            await document.fonts.ready;
            const faces = [...document.fonts]
                .filter((f) => f.family.replaceAll('"', '') === family);
            return {
                check: document.fonts.check(`16px "${family}"`, 'അ'),
                loadedMalayalamFaces: faces
                    .filter((f) => f.status === 'loaded' && /D00-D7F/i.test(f.unicodeRange))
                    .map((f) => f.weight),
                body: getComputedStyle(document.body).fontFamily,
            };
        }""",
        FONT,
    )
    assert fonts["check"] is True
    # check() is also true when no face matches at all: a loaded face for the script is proof.
    assert "400" in fonts["loadedMalayalamFaces"], fonts
    assert fonts["body"].replace('"', "").startswith(FONT), fonts["body"]
    # Served by us (the button "മലയാളം" may have needed it already on the English page).
    assert any(url.endswith(MALAYALAM_FACE) and status == 200 for url, status in fetched)
    # What Chromium actually drew the heading with: the web font, no system fallback.
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    h1 = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "main h1"})["nodeId"]
    cdp.send("CSS.enable")
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": h1})["fonts"]
    assert used, "no font rendered the heading"
    assert all(f["familyName"] == FONT and f["isCustomFont"] for f in used), used
    shot = page.screenshot(path=shots / "dashboard-ml.png", full_page=True)
    assert len(shot) > 10_000
    assert_accessible(page)
