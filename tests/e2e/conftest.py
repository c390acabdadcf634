"""
A real Chromium driving the site served by pytest-django's live_server.

The browser is Debian's Chromium under Playwright (tests/services.py); where
it is missing these tests skip with the reason, and under CI=true they fail.
Every test runs once at a desktop width and once at a phone's, and saves a
screenshot of each step under test-artifacts/e2e/<device>/.
"""

import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command

from accounts.models import User
from tests import builders
from tests.services import require_service, running_chromium

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with the reason
    expect = None

DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
TIMEOUT_MS = 15_000
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
}
PASSWORD = "a long test passphrase 4821"


@dataclass(frozen=True)
class Site:
    url: str
    moderator: User
    editor: User


# The page reports Content Security Policy violations to the console, where
# the tab's listener collects them with the other errors. Playwright injects
# this itself, so the policy does not apply to it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `CSP violation: ${event.violatedDirective} refused ` +
    `${event.blockedURI || "an inline script or style"}`
  );
});
"""


@pytest.fixture
def site(live_server, settings):
    """The live site with the seed content and two staff accounts."""
    # A test types faster than the too-fast rule lets a person post; the rate
    # limit is counted in the cache and starts from zero.
    settings.COMMENTS_MIN_SECONDS = 0
    cache.clear()
    call_command("loadseed", stdout=io.StringIO())
    yield Site(
        url=live_server.url,
        moderator=builders.make_moderator(username="moderator", password=PASSWORD),
        editor=builders.make_editor(username="editor", password=PASSWORD),
    )
    cache.clear()


@pytest.fixture
def browser(site):
    """
    A fresh Chromium for each test, started after the database is ready and
    stopped before it is flushed. Playwright's sync API keeps an asyncio loop
    running, and within it Django gives this thread a different database
    connection (and refuses ORM calls), so the tests make none while it runs.
    """
    with require_service(running_chromium) as browser:
        yield browser


@pytest.fixture(params=list(DEVICES))
def device(request):
    return request.param


def is_favicon(url):
    # Browsers ask for /favicon.ico on pages that name no icon, as the admin's
    # do; the site has none there, and the 404 breaks nothing.
    return urlsplit(url).path == "/favicon.ico"


class Tab:
    """One person's browser tab, with what its console reported."""

    def __init__(self, context, *, device):
        self.device = device
        self.page = context.new_page()
        self.problems = []
        self.page.on("console", self.on_console)
        self.page.on("pageerror", self.on_page_error)
        self.page.on("response", self.on_response)

    def on_console(self, message):
        if message.type == "error" and not is_favicon(message.location["url"]):
            self.problems.append((urlsplit(self.page.url).path, message.text))

    def on_page_error(self, error):
        self.problems.append((urlsplit(self.page.url).path, f"Uncaught {error}"))

    def on_response(self, response):
        # The console says a resource failed but not which; this names it.
        if response.status >= 400 and not is_favicon(response.url):
            self.problems.append(
                (urlsplit(self.page.url).path, f"{response.status} {response.url}")
            )

    def log_into_admin(self, user):
        self.page.goto("/admin/")
        self.page.get_by_label("Username").fill(user.username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.locator("#user-tools")).to_contain_text("Welcome")

    def screenshot(self, name):
        self.page.screenshot(path=ARTIFACTS / self.device / f"{name}.png")

    def assert_no_sideways_scrolling(self):
        """
        The page itself is no wider than the window. A wide table that scrolls
        inside its own container (as the admin's change lists do) is allowed.
        """
        widths = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1], (
            f"{self.page.url} scrolls sideways at {self.device} width: "
            f"content {widths[0]}px wide in a {widths[1]}px window"
        )

    def assert_quiet_console(self):
        """No errors, failed requests or CSP violations on any page so far."""
        assert self.problems == [], f"Console errors: {self.problems}"

    def assert_public_page_sound(self):
        """No horizontal scrolling, the stylesheet applied, a quiet console."""
        self.assert_no_sideways_scrolling()
        # site.css sets the body's margin to 0; the browser's default is 8px.
        assert self.page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
        self.assert_quiet_console()

    def assert_accessible(self):
        """
        axe-core, run in the page, finds no serious or critical violation of
        the WCAG 2.1 A and AA rules.
        """
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page, options=AXE_OPTIONS)
        serious = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + ", ".join(str(node["target"]) for node in violation["nodes"])
            for violation in results.response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        assert serious == [], f"{self.page.url}: " + "; ".join(serious)

    def assert_admin_page_sound(self):
        """No horizontal scrolling of the page and a quiet console."""
        self.assert_no_sideways_scrolling()
        self.assert_quiet_console()


@pytest.fixture
def open_tab(site, browser, device, settings):
    """Open a tab in a browser of its own (own cookies) at the device's size."""
    contexts = []

    def open_tab():
        context = browser.new_context(
            base_url=site.url,
            locale="en-GB",
            timezone_id=settings.TIME_ZONE,
            **DEVICES[device],
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        return Tab(context, device=device)

    yield open_tab
    for context in contexts:
        context.close()
