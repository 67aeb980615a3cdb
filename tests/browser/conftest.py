"""Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser), and axe-core's checks."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
# axe-core is vendored, pinned (tests/browser/vendor/axe-core/README.md): CI needs no npm and no network for it.
AXE = HERE / "vendor" / "axe-core" / "axe.min.js"
# Screenshots the tests take; ignored by git (a chosen few are copied to docs/screenshots/ by hand).
ARTIFACTS = HERE / "artifacts"
# What the accessibility tests refuse; axe's "minor" and "moderate" findings are reported, not failed on.
BLOCKING_IMPACTS = ("serious", "critical")
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module; skipped with the reason when Chromium or Playwright is absent."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (CI installs Debian's chromium package)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    # Playwright runs an event loop in this thread; the test's own database calls stay synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium):
    """A page in a fresh browser context (no cookies from another test)."""
    page = chromium.new_page()
    try:
        yield page
    finally:
        page.context.close()


def without_leave_beacon(context) -> None:
    """Keep the admin's story page from saying "left" when the test closes it (static/js/presence.js sends a
    beacon on pagehide): that request would reach the live server while the test's database is being emptied,
    and SQLite refuses the one or the other. Presence itself is tested in tests/test_concurrency.py."""
    context.add_init_script("navigator.sendBeacon = () => true;")


def axe_violations(page, *, impacts=BLOCKING_IMPACTS) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations of the given impacts.

    The script is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
    govern: the page is checked with its real policy, not with one loosened for the test."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    page.evaluate("document.fonts.ready.then(() => true)")  # contrast is measured on the final text
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [violation for violation in results["violations"] if violation["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """axe's findings as lines a reader can act on: rule, impact, help text, the first few elements."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            why = (node.get("failureSummary") or "").strip().splitlines()[-1:] or [""]
            lines.append(f"    {' '.join(map(str, node['target']))}: {why[0].strip()}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible():
    """assert_accessible(page, "story ar phone"): fails with axe's serious and critical findings, listed."""

    def check(page, where: str) -> None:
        violations = axe_violations(page)
        assert not violations, f"axe finds serious or critical problems on {where} ({page.url}):\n" + describe(
            violations
        )

    return check


@pytest.fixture
def screenshot():
    """screenshot(page, "home-ar-desktop") writes tests/browser/artifacts/home-ar-desktop.png (the first screen, as a
    reader first sees the page) and, when the page is longer, home-ar-desktop-full.png (the whole page)."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        page.evaluate("document.fonts.ready.then(() => true)")
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path))
        if page.evaluate("document.documentElement.scrollHeight > window.innerHeight"):
            page.screenshot(path=str(ARTIFACTS / f"{name}-full.png"), full_page=True)
        return path

    return take
