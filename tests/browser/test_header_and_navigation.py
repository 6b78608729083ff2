"""The header, its navigation and language switcher, the favicon, the catalog's filters and stacked form labels,
in a real browser at a desktop (1280 px) and a phone (390 px) width."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from awards import keys
from demo import catalog_data as demo
from tests.browser.conftest import assert_accessible, signed_in_context, submit, watch_csp
from tests.factories import UserFactory, learner_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SIGNED_IN_LINKS = ["Programs", "Verify a credential", "My learning", "My goals", "My credentials", "My record"]
SIGNED_IN_LINKS += ["My wallet", "Sharing"]


@pytest.fixture
def learner():
    return learner_user(legal_name="Noor Haddad").user


@pytest.fixture
def catalog():
    keys.generate_key()
    demo.load_catalog(
        registrar=UserFactory(username="registrar-h", groups=["Registrar"]),
        approver=UserFactory(username="approver-h", groups=["Program approver"]),
    )


@pytest.fixture
def open_page(browser, live_server):
    """Opens pages at a named width; at the end, no page may have broken the CSP or had a request fail."""
    contexts, violations, failures = [], [], []

    def open_(width, path, user=None, **options):
        options["viewport"] = VIEWPORTS[width]
        if user is None:
            context = browser.new_context(base_url=live_server.url, **options)
        else:
            context = signed_in_context(browser, live_server, user, **options)
        contexts.append(context)
        page = context.new_page()
        violations.extend([watch_csp(page)])
        page.on("response", lambda response: response.status >= 400 and failures.append(response))
        page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not [message for messages in violations for message in messages], violations
    assert not [f"{response.status} {response.url}" for response in failures]


def _box(locator):
    return locator.bounding_box()


def _middle(box):
    return box["y"] + box["height"] / 2


def _menu(page):
    return page.locator(".site-menu > summary")


def _navigation(page):
    return page.get_by_role("navigation", name="Main")


def test_desktop_header_is_one_row_with_the_language_switcher_after_the_navigation(open_page, learner):
    page = open_page("desktop", "/", learner)
    header = _box(page.locator("header.site-header"))
    assert header["height"] < 64
    expect(_menu(page)).to_be_hidden()
    row = _middle(_box(page.locator(".brand")))
    for name in SIGNED_IN_LINKS:
        link = _navigation(page).get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        assert abs(_middle(_box(link)) - row) < 4, name
    log_out = _box(page.get_by_role("button", name="Log out"))
    language = _box(page.get_by_label("Language"))
    assert abs(_middle(language) - row) < 4
    assert language["x"] >= log_out["x"] + log_out["width"]
    assert_accessible(page, "header-desktop")


def test_phone_header_is_one_short_row_with_the_menu_collapsed(open_page, learner):
    page = open_page("phone", "/", learner)
    assert _box(page.locator("header.site-header"))["height"] < 0.2 * VIEWPORTS["phone"]["height"]
    assert abs(_middle(_box(page.locator(".brand"))) - _middle(_box(_menu(page)))) < 4
    expect(_navigation(page)).to_be_hidden()
    expect(page.get_by_label("Language")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "header-phone")


def test_opened_phone_menu_shows_every_link_and_the_language_switcher(open_page, learner):
    page = open_page("phone", "/", learner)
    _menu(page).click()
    for name in SIGNED_IN_LINKS:
        expect(_navigation(page).get_by_role("link", name=name, exact=True)).to_be_in_viewport()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_label("Language")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "header-phone-menu-open")


@pytest.mark.parametrize("width", VIEWPORTS)
def test_navigation_links_work_with_the_keyboard(open_page, learner, width):
    page = open_page(width, "/", learner)
    if width == "phone":
        _menu(page).focus()
        page.keyboard.press("Enter")
    else:
        page.locator(".brand").focus()
    record = _navigation(page).get_by_role("link", name="My record")
    for _ in SIGNED_IN_LINKS:
        page.keyboard.press("Tab")
        if record.evaluate("link => link === document.activeElement"):
            break
    expect(record).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Comprehensive learner record")).to_be_visible()


def _open_menu_on_a_phone(page, width):
    if width == "phone":
        _menu(page).click()


@pytest.mark.parametrize("width", VIEWPORTS)
def test_choosing_a_language_switches_at_once(open_page, width):
    page = open_page(width, "/verify/")
    _open_menu_on_a_phone(page, width)
    expect(page.get_by_role("button", name="Change language")).to_be_hidden()  # the script submits on change
    with page.expect_navigation():
        page.get_by_label("Language").select_option("fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.url.endswith("/verify/")
    _open_menu_on_a_phone(page, width)
    expect(page.locator("#language-choice")).to_have_value("fr")


@pytest.mark.parametrize("width", VIEWPORTS)
def test_language_switcher_works_without_javascript(open_page, width):
    page = open_page(width, "/verify/", java_script_enabled=False)
    _open_menu_on_a_phone(page, width)  # a <details> opens without script
    page.get_by_label("Language").select_option("fr")
    submit(page, page.get_by_role("button", name="Change language"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.url.endswith("/verify/")


@pytest.mark.parametrize("width", VIEWPORTS)
def test_favicon_is_linked_and_served(open_page, width):
    page = open_page(width, "/")
    icon = page.locator("link[rel=icon]")
    assert icon.get_attribute("type") == "image/svg+xml"
    linked = page.request.get(icon.get_attribute("href"))
    assert linked.ok and linked.headers["content-type"] == "image/svg+xml"
    assert page.locator(".brand img").evaluate("image => image.complete && image.naturalWidth > 0")
    legacy = page.request.get("/favicon.ico")  # browsers' default request, for pages that link no icon
    assert legacy.ok and legacy.url.endswith(settings.STATIC_URL + "favicon.svg")


def _first_program(page):
    return page.locator("ul.cards > li").first


def test_catalog_on_a_phone_shows_the_first_program_with_the_filters_folded(open_page, catalog):
    page = open_page("phone", "/")
    height = VIEWPORTS["phone"]["height"]
    assert _box(_first_program(page).get_by_role("heading"))["y"] + 40 < height
    expect(page.get_by_label("Delivery")).to_be_hidden()
    filters = page.locator(".filter-panel > summary")
    expect(filters).to_have_text("Filters")
    filters.click()
    page.get_by_label("Delivery").select_option("in_person")
    page.get_by_label("Level").select_option("6")
    submit(page, page.get_by_role("button", name="Search"))
    expect(page.locator("#result-count")).to_have_text("1 program found")
    expect(filters).to_have_text("Filters (2 in use)")
    expect(page.get_by_label("Delivery")).to_be_hidden()
    assert _box(_first_program(page).get_by_role("heading"))["y"] + 40 < height
    assert_accessible(page, "catalog-phone-filtered")


def test_catalog_on_a_desktop_shows_the_filters_open(open_page, catalog):
    page = open_page("desktop", "/?delivery_mode=in_person")
    expect(page.locator(".filter-panel > summary")).to_be_hidden()
    expect(page.get_by_label("Delivery")).to_have_value("in_person")
    expect(page.get_by_label("Subject")).to_be_visible()
    assert_accessible(page, "catalog-desktop-filtered")


def _above(label, field):
    return _box(label)["y"] + _box(label)["height"] <= _box(field)["y"]


@pytest.mark.parametrize("width", VIEWPORTS)
def test_labels_sit_above_text_areas_and_text_boxes(open_page, learner, width):
    verify = open_page(width, "/verify/")
    textarea = verify.locator("textarea")
    assert _above(verify.locator(f"label[for={textarea.get_attribute('id')}]"), textarea)
    shares = open_page(width, "/me/shares/", learner)
    assert _above(shares.locator("label[for=id_label]"), shares.locator("#id_label"))
    checkbox, beside = shares.locator("#id_whole_record"), shares.locator("label[for=id_whole_record]")
    checkbox, beside = _box(checkbox), _box(beside)  # a checkbox keeps its label beside it, on its first line
    assert checkbox["x"] + checkbox["width"] <= beside["x"] and beside["y"] <= _middle(checkbox) <= beside["y"] + 24
    assert_accessible(shares, f"sharing-form-{width}")
