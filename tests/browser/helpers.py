"""What the browser tests share."""

from playwright.sync_api import Browser, Page, expect

from haven.testing.personas import PASSWORD


def signed_in(browser: Browser, base: str, username: str, timeout_ms: int = 15_000) -> Page:
    """A new browser context signed in as ``username`` (English, desktop size)."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-submit").click()
    expect(page.locator(".who")).to_contain_text(username)
    return page
