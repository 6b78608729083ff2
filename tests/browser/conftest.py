"""Headless Debian Chromium driven by Playwright against Django's live server, with axe-core checks."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium():
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate:
            return candidate
    pytest.fail("Debian's chromium is needed for the browser tests (.ci/run installs it).")


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django must allow ORM calls beside it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def signed_in_context(browser, live_server, user, **options):
    """A browser context already signed in as ``user`` (a session made by Django's test client)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, **options)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context


def watch_csp(page):
    """Collect the browser's Content-Security-Policy violations on ``page`` (the list fills as pages load)."""
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    return violations


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    violations = watch_csp(page)
    yield page
    context.close()
    assert not violations, violations  # every portal page works under the strict policy


def submit(page, button):
    """Click a form's submit ``button`` and wait for the page it leads to.

    Without the wait, the next step may read the page being left (or race the POST itself).
    """
    with page.expect_navigation():
        button.click()


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_accessible(page, name):
    """Run axe-core (WCAG 2.x A/AA rules) and fail on serious or critical violations."""
    screenshot(page, name)
    page.evaluate(AXE.read_text())  # through DevTools, so the page's CSP (no inline scripts) does not block it
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{name}: " + " | ".join(serious)
