"""Pages in a real browser (Debian's Chromium driven by Playwright)."""

import shutil

import pytest

from claims import services
from tests.factories import StatementFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
    ),
]


@pytest.fixture
def page(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # beside it are still synchronous, which Django allows only when told.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def _login(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_editor_sees_statements_highlighted_in_the_article(page, live_server, editor, tmp_path):
    statement = StatementFactory()
    services.create_claim_from_statement(statement=statement, by=editor)
    _login(page, live_server, "ed", "pw-ed-12345")

    page.goto(f"{live_server.url}/admin/claims/article/{statement.article.pk}/change/")
    mark = page.locator(f"#statement-{statement.pk}")
    assert mark.is_visible()
    assert mark.inner_text() == statement.text
    # The highlight is really painted: a background colour, not the page's white.
    background = mark.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    assert page.locator(".cd-speaker").first.inner_text() == "Ahmed al-Sharaa"
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
    assert (tmp_path / "article.png").stat().st_size > 10_000


def test_editor_finds_a_claim_by_search_and_opens_its_history(page, live_server, editor):
    statement = StatementFactory()
    claim = services.create_claim_from_statement(
        statement=statement, by=editor, text="Syria will honour all past agreements"
    )
    _login(page, live_server, "ed", "pw-ed-12345")

    page.goto(f"{live_server.url}/admin/claims/claim/")
    page.fill("#searchbar", "honour")
    page.press("#searchbar", "Enter")
    page.click(f"text={claim.text}")
    assert page.locator("#id_text").input_value() == claim.text
    page.click("a.historylink")
    assert page.locator("#change-history").is_visible()
    assert "Created from statement" in page.content()


def test_editor_links_a_flagged_repeat_from_the_desk_in_one_click(page, live_server, editor):
    from claims.models import Flag, FlagSuggestion
    from tests.factories import ClaimFactory, rating

    statement = StatementFactory()
    claim = ClaimFactory(text="Syria respects its agreements with Russia", rating=rating("true"))
    flag = Flag.objects.create(
        statement=statement, claim=claim, reason="repeats_claim", priority=30, score=0.8
    )
    FlagSuggestion.objects.create(flag=flag, claim=claim, similarity=0.8, rank=1)
    page.goto(f"{live_server.url}/desk/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", "pw-ed-12345")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/")

    card = page.locator(f"#flag-{flag.pk}")
    assert "We respect all agreements made with it," in card.locator("mark").inner_text()
    card.get_by_role("button", name="Link").click()
    page.wait_for_url(f"{live_server.url}/desk/")
    assert "Linked to" in page.locator(".messages").inner_text()
    assert page.locator(f"#flag-{flag.pk}").count() == 0
    flag.refresh_from_db()
    assert flag.state == "resolved"
