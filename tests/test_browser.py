"""The web app in a real browser: headless Chromium driven by Selenium (Debian's ``chromium`` and
``chromium-driver``, which ``make test`` installs when missing). The organiser's whole flow —
upload the sheet, read and fix the report, make 3 rounds of groups, move a member and see the
verdict change, download the workbook and open it — a cancelled run, and the main flow by keyboard
alone. A failing test leaves a screenshot and the page's HTML in ``test-artifacts/``."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import uvicorn
from selenium import webdriver
from selenium.common.exceptions import (
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from consortium_solver.web import create_app
from tests.web_client import ORGANISER_SHEET

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
HAVE_CHROMIUM = bool(shutil.which("chromium") and shutil.which("chromedriver"))
# Where Chromium is missing the browser tests are skipped with the reason — except in CI (CI is
# set), where `make test` installs it and a missing browser is a failure, never a silent skip.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not HAVE_CHROMIUM and not os.environ.get("CI"),
        reason="Chromium and chromedriver are not installed (Debian: apt-get install chromium"
        " chromium-driver; `make test` installs them as root)",
    ),
]
WAIT = 120  # seconds at most for a page to show what it waits for (kernels compiled beforehand)


class Server:
    """The app served by uvicorn on a free local port, in a thread of this process."""

    def __init__(self, data: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.app = create_app(data)
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        end = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < end, "the server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def chromium(downloads: Path) -> WebDriver:
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert binary and driver, (
        "the browser tests need chromium and chromedriver (Debian: apt-get install chromium"
        " chromium-driver; `make test` installs them as root)"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--disable-gpu"):  # fmt: skip
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.fixture
def server(tmp_path: Path, compiled_kernels: None) -> Iterator[Server]:
    with Server(tmp_path / "data") as running:
        yield running


@pytest.fixture
def browser(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WebDriver]:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = chromium(downloads)
    driver.downloads = downloads  # type: ignore[attr-defined]
    yield driver
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"{request.node.name}.png"))
        (ARTIFACTS / f"{request.node.name}.html").write_text(driver.page_source)
    driver.quit()


def wait_text(driver: WebDriver, text: str, timeout: float = WAIT) -> None:
    """Wait until the page shows ``text`` (across page loads: an element read while the page is
    replaced raises a stale-element or a "node does not belong to the document" error)."""
    wait = WebDriverWait(driver, timeout, ignored_exceptions=[WebDriverException])
    wait.until(lambda d: text in d.find_element(By.TAG_NAME, "body").text)


def new_event(driver: WebDriver, server: Server, name: str) -> None:
    driver.get(server.url + "/")
    field = driver.find_element(By.NAME, "name")
    field.send_keys(name, Keys.ENTER)
    wait_text(driver, "1. The participant sheet")


def upload_and_fix(driver: WebDriver) -> None:
    """Upload the organiser's sheet, read the report, fix the country and merge the duplicate."""
    driver.find_element(By.ID, "sheet").send_keys(str(ORGANISER_SHEET))
    driver.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()
    wait_text(driver, "2 problem(s) to fix")
    assert "did you mean Germany (DE)?" in driver.page_source
    country = driver.find_element(By.NAME, "fix-15-3")
    country.clear()
    country.send_keys("Germany")
    driver.find_element(By.NAME, "merge").click()
    driver.find_element(By.CSS_SELECTOR, "#fixes button[type=submit]").click()
    wait_text(driver, "organisations read")


def start_run(driver: WebDriver, **fields: str) -> None:
    for name, value in fields.items():
        element = driver.find_element(By.NAME, name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)
    driver.find_element(By.CSS_SELECTOR, "form.task button[type=submit]").click()


def until(driver: WebDriver, condition: Any, timeout: float = 30) -> None:
    """Wait for ``condition`` while parts of the page are being replaced."""
    wait = WebDriverWait(driver, timeout, ignored_exceptions=[WebDriverException])
    wait.until(condition)


def verdict(driver: WebDriver) -> str:
    element: WebElement = driver.find_element(By.ID, "verdict")
    return str(element.text)


def test_the_organisers_whole_flow(server: Server, browser: Any) -> None:
    new_event(browser, server, "Matchmaking <day>")
    assert "Matchmaking <day>" in browser.find_element(By.TAG_NAME, "h1").text
    upload_and_fix(browser)
    start_run(browser, size_min="4", size_max="4", rounds="3", call="none", time_limit="3")
    wait_text(browser, "Download the plan:")
    assert verdict(browser).startswith("✓ Every group meets every rule")
    assert len(browser.find_elements(By.CSS_SELECTOR, "section[id^=round-]")) == 3
    browser.find_element(By.CSS_SELECTOR, "#round-1 details.map summary").click()
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#round-1 details.map svg circle"))
    # Drag would need a pointer; the "Move to" menu is the same request.
    card = browser.find_element(By.CSS_SELECTOR, "#round-1 .card")
    move = card.find_element(By.CSS_SELECTOR, "form.move")
    move.find_element(By.NAME, "group").send_keys("2")  # the field starts empty
    move.find_element(By.CSS_SELECTOR, "button").click()
    until(browser, lambda d: verdict(d).startswith("✗"))
    # One step back, and forth again.
    browser.find_element(By.CSS_SELECTOR, "#undo-redo button[title='Undo the last change']").click()
    until(browser, lambda d: verdict(d).startswith("✓"))
    browser.find_element(By.CSS_SELECTOR, "#undo-redo button[formaction$='/redo']").click()
    until(browser, lambda d: verdict(d).startswith("✗"))
    assert "problem(s) with these groups" in verdict(browser)
    assert "against the groups as found" in verdict(browser)
    # A round selector; printed, no controls and one round a page.
    links = browser.find_elements(By.CSS_SELECTOR, "nav.rounds a")
    assert [a.text for a in links] == ["Round 1", "Round 2", "Round 3", "All rounds"]
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not any(f.is_displayed() for f in browser.find_elements(By.CSS_SELECTOR, "form"))
    second = browser.find_element(By.ID, "round-2")
    assert second.value_of_css_property("break-before") == "page"
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.find_element(By.LINK_TEXT, "workbook (.xlsx)").click()
    end = time.monotonic() + 30
    while not list(browser.downloads.glob("*.xlsx")):
        assert time.monotonic() < end, "no workbook was downloaded"
        time.sleep(0.1)
    time.sleep(0.5)  # the download is renamed when complete; let it settle
    book = openpyxl.load_workbook(next(iter(browser.downloads.glob("*.xlsx"))))
    text = " ".join(str(c) for s in book for row in s.iter_rows(values_only=True) for c in row)
    assert "Round 1" in " ".join(book.sheetnames) or "Round 1" in text


def test_cancel_keeps_the_best_groups_so_far(server: Server, browser: Any) -> None:
    new_event(browser, server, "Long run")
    upload_and_fix(browser)
    start_run(browser, size_min="3", size_max="5", rounds="2", call="none", time_limit="300")
    try:
        wait_text(browser, "The best groups so far")  # shown after a first look; the search goes on
    except TimeoutException:
        raise AssertionError(f"no first look: {server.app.state.context.store.runs(1)}") from None
    assert not browser.find_elements(By.CSS_SELECTOR, "form.move")  # changes wait for the end
    browser.find_element(By.ID, "cancel").click()
    try:
        wait_text(browser, "Cancelled: these are the best groups found before the cancel", 60)
    except TimeoutException:
        raise AssertionError(f"not cancelled: {server.app.state.context.store.runs(1)}") from None
    assert verdict(browser).startswith("✓")


def tab_to(driver: WebDriver, matches: Any, limit: int = 200) -> WebElement:
    """Press Tab until the focused element satisfies ``matches``."""
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        try:
            focused: WebElement = driver.switch_to.active_element
            if matches(focused):
                return focused
        except WebDriverException:  # the element was replaced under the check: look again
            continue
    raise AssertionError("not reachable by the keyboard")


def test_the_main_flow_by_keyboard_alone(server: Server, browser: Any) -> None:
    """Skip link first; create the event, start the groups and move a member with Tab, arrows,
    typing and Enter only (the file itself is chosen by the system's dialog, here given)."""
    browser.get(server.url + "/")
    first = tab_to(browser, lambda e: True)
    assert first.text == "Skip to the content"
    tab_to(browser, lambda e: e.get_attribute("name") == "name")
    ActionChains(browser).send_keys("Keyboard day", Keys.ENTER).perform()
    wait_text(browser, "1. The participant sheet")
    upload_and_fix(browser)
    size = tab_to(browser, lambda e: e.get_attribute("name") == "size_max")
    size.send_keys(Keys.BACKSPACE, "4")
    call = tab_to(browser, lambda e: e.get_attribute("name") == "call")
    call.send_keys(Keys.END)  # "no call rules"
    tab_to(browser, lambda e: e.get_attribute("name") == "time_limit").send_keys(
        Keys.BACKSPACE, Keys.BACKSPACE, "2"
    )
    tab_to(browser, lambda e: e.text == "Make the groups").send_keys(Keys.ENTER)
    wait_text(browser, "Download the plan:")
    assert verdict(browser).startswith("✓ Every group meets every rule")
    tab_to(browser, lambda e: e.get_attribute("name") == "group").send_keys("2")
    tab_to(browser, lambda e: e.text == "Move").send_keys(Keys.ENTER)
    until(browser, lambda d: verdict(d).startswith("✗"))
    assert browser.switch_to.active_element.get_attribute("id") == "verdict"


def test_the_best_consortia_for_a_lead_from_the_page(server: Server, browser: Any) -> None:
    """The best consortium for a lead, chosen in its menu: the run's page lists the consortia,
    each judged rule by rule."""
    new_event(browser, server, "Lead partner")
    upload_and_fix(browser)
    form = browser.find_element(By.ID, "consortium-form")
    Select(form.find_element(By.NAME, "lead")).select_by_index(3)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_text(browser, "each meeting every rule")
    assert browser.find_elements(By.CSS_SELECTOR, ".card .members li")


def test_a_suggested_region_by_one_click_and_enter_takes_none(
    server: Server, browser: Any, tmp_path: Path
) -> None:
    """Enter in a corrected cell checks the values typed (it never presses a suggestion's
    button); the button "use Noord-Brabant (NL41)" puts that region in the cell."""
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "Organisation,Country,Region,Type,ECCP,Sectors\n"
        "Brabant Cluster,Netherlands,Nord Brabnt,Cluster organisation,Yes,Digital\n"
        "Debrecen Cluster,Hungary,Debrecen,Cluster organisation,Yes,Digital\n",
        encoding="utf-8",
    )
    new_event(browser, server, "Places")
    browser.find_element(By.ID, "sheet").send_keys(str(sheet))
    browser.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()
    wait_text(browser, "use Noord-Brabant (NL41)")
    browser.find_element(By.NAME, "fix-2-3").send_keys(Keys.ENTER)
    wait_text(browser, "organisations read")
    assert "use Noord-Brabant (NL41)" in browser.page_source  # still unknown: nothing taken
    browser.find_element(By.CSS_SELECTOR, "button.use[value=NL41]").click()
    until(browser, lambda d: "use Noord-Brabant" not in d.page_source)
    assert "Noord-Brabant (NL41)" in browser.page_source
    assert "more developed region" in browser.page_source


def test_the_days_page_says_where_someone_sits_round_by_round(browser: Any, tmp_path: Path) -> None:
    """Typing a name in the plan's search box lists that organisation's group in each round it
    attends (an absent round is simply not listed)."""
    from consortium_solver.domain import EccpStatus, Organisation, OrganisationType, Pool
    from consortium_solver.group import GroupOptions, group
    from consortium_solver.io.plans import grouping_page
    from consortium_solver.rules import no_call

    orgs = tuple(
        Organisation(
            id=f"o{i}", name=f"Org {i:02d}", country=("DE", "FR", "PL")[i % 3],
            organisation_type=OrganisationType.CLUSTER_ORGANISATION,
            eccp_status=EccpStatus.REGISTERED, sectors=("digital",),
            rounds=(2, 3) if i == 0 else None,
        )
        for i in range(12)
    )  # fmt: skip
    pool = Pool(name="event", organisations=orgs)
    options = GroupOptions(size=(3, 4), rounds=3, time_limit=1, deterministic=True, workers=1)
    result = group(pool, no_call(), options)
    page = tmp_path / "plan.html"
    page.write_text(grouping_page(result, pool), encoding="utf-8")
    browser.get(page.as_uri())
    browser.find_element(By.ID, "find").send_keys("Org 00")
    until(browser, lambda d: d.find_element(By.ID, "where").text)
    line = browser.find_element(By.ID, "where").text
    assert line.startswith("Org 00 — Round 2: Group ")
    assert "Round 3: Group" in line and "Round 1" not in line


def test_the_exchange_template_downloads_from_an_events_page(server: Server, browser: Any) -> None:
    """The event's page offers the ClusterXchange template beside the event's; a click downloads
    the workbook with its Partnerships sheet."""
    new_event(browser, server, "Exchange day")
    browser.find_element(By.ID, "exchange-template").click()
    end = time.monotonic() + 30
    while not list(browser.downloads.glob("clusterxchange-template*.xlsx")):
        assert time.monotonic() < end, "no template was downloaded"
        time.sleep(0.1)
    time.sleep(0.5)  # the download is renamed when complete; let it settle
    book = openpyxl.load_workbook(
        next(iter(browser.downloads.glob("clusterxchange-template*.xlsx")))
    )
    assert "Partnerships" in book.sheetnames


# Not "mobile": a mobile viewport widens to its content, which would hide the very overflow looked for.
PHONE = {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": False}


def sideways(driver: WebDriver) -> int:
    """How far the page scrolls sideways: the document's width beyond the viewport's."""
    extra: int = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return extra


def test_a_phone_never_scrolls_sideways(server: Server, browser: Any) -> None:
    """At 375 px every page of the flow fits the width: the import report and the places read
    become cards, as do the list of runs, the groups and the exchange programme's table."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        new_event(browser, server, "Phone day")
        assert browser.execute_script("return window.innerWidth") == 375
        assert sideways(browser) == 0, "an event's empty page"
        browser.find_element(By.ID, "sheet").send_keys(str(ORGANISER_SHEET))
        browser.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()
        wait_text(browser, "2 problem(s) to fix")
        for summary in browser.find_elements(
            By.CSS_SELECTOR, "#report details:not([open]) summary"
        ):
            summary.click()  # the places read and the columns, open
        assert sideways(browser) == 0, "the import report"
        cell = browser.find_element(By.CSS_SELECTOR, "table.report td[data-label=Problem]")
        assert cell.value_of_css_property("display") == "block"  # a card, labelled
        upload_and_fix_after_upload(browser)
        start_run(browser, size_min="4", size_max="5", rounds="2", call="none", time_limit="2")
        wait_text(browser, "Download the plan:")
        assert sideways(browser) == 0, "the run page"
        browser.get(server.url + "/projects/1")
        wait_text(browser, "Runs")
        assert sideways(browser) == 0, "the event with its runs"
        new_event(browser, server, "Exchange on a phone")
        cxc = Path(__file__).resolve().parent.parent / "instances" / "exchange" / "cxc-60.json"
        Select(browser.find_element(By.NAME, "sheet_kind")).select_by_value("exchange")
        browser.find_element(By.ID, "sheet").send_keys(str(cxc))
        browser.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()
        wait_text(browser, "participants read")
        start_exchange = browser.find_element(
            By.CSS_SELECTOR, "#exchange-form input[name=time_limit]"
        )
        start_exchange.clear()
        start_exchange.send_keys("3")
        browser.find_element(By.CSS_SELECTOR, "#exchange-form button[type=submit]").click()
        wait_text(browser, "Who visits whom")
        assert sideways(browser) == 0, "the exchange programme"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def upload_and_fix_after_upload(driver: WebDriver) -> None:
    """The organiser's sheet as uploaded, fixed in the page: the country typed, duplicates merged."""
    country = driver.find_element(By.NAME, "fix-15-3")
    country.clear()
    country.send_keys("Germany")
    driver.find_element(By.NAME, "merge").click()
    driver.find_element(By.CSS_SELECTOR, "#fixes button[type=submit]").click()
    wait_text(driver, "organisations read")


def shown_rounds(driver: WebDriver) -> list[str]:
    return [
        s.get_attribute("id") or ""
        for s in driver.find_elements(By.CSS_SELECTOR, "section.round")
        if s.is_displayed()
    ]


def test_the_round_selector_and_the_search_of_the_run_page(server: Server, browser: Any) -> None:
    """One round is shown at a time, chosen in the selector (or all), and the choice outlives a
    move; the search says where an organisation sits in every round and marks it."""
    new_event(browser, server, "Three rounds")
    upload_and_fix(browser)
    start_run(browser, size_min="4", size_max="5", rounds="3", call="none", time_limit="2")
    wait_text(browser, "Download the plan:")
    assert shown_rounds(browser) == ["round-1"]
    browser.find_element(By.LINK_TEXT, "Round 3").click()
    assert shown_rounds(browser) == ["round-3"]
    assert browser.find_element(By.LINK_TEXT, "Round 3").get_attribute("aria-current") == "true"
    # A move in round 3 replaces the groups; round 3 stays the one shown.
    move = browser.find_element(By.CSS_SELECTOR, "#round-3 form.move")
    move.find_element(By.NAME, "group").send_keys("2")
    move.find_element(By.CSS_SELECTOR, "button").click()
    until(browser, lambda d: "1 change(s) by hand" in verdict(d))
    assert shown_rounds(browser) == ["round-3"]
    browser.find_element(By.LINK_TEXT, "All rounds").click()
    assert shown_rounds(browser) == ["round-1", "round-2", "round-3"]
    # The search: the first organisation of round 1, found in each round.
    first = browser.find_element(By.CSS_SELECTOR, "#round-1 li[data-member] b").text
    browser.find_element(By.ID, "find").send_keys(first)
    until(browser, lambda d: d.find_element(By.ID, "where").text)
    line = browser.find_element(By.ID, "where").text.splitlines()[0]
    assert line.startswith(f"{first} — Round 1: ")
    assert "Round 2: " in line and "Round 3: " in line
    marked = browser.find_elements(By.CSS_SELECTOR, "li.found")
    assert len(marked) >= 3 and all(first in m.text for m in marked)
    # Printed: every round, whatever is shown.
    browser.find_element(By.LINK_TEXT, "Round 2").click()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert shown_rounds(browser) == ["round-1", "round-2", "round-3"]
    assert not browser.find_element(By.ID, "find").is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def bomb(path: Path, inflated_mb: int) -> Path:
    """A real workbook bomb: a valid workbook whose sheet holds one cell of ``inflated_mb`` MB of
    one letter, which deflates to a few hundred KB (written in chunks: never held whole)."""
    plain = path.with_name("plain.xlsx")
    book = openpyxl.Workbook()
    book.active.append(["Name", "Country", "Type", "ECCP", "Sectors"])
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, source.read(item.filename))
                continue
            with out.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr">'
                    b"<is><t>"
                )
                chunk = b"A" * 2**20
                for _ in range(inflated_mb):
                    sheet.write(chunk)
                sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return path


def test_an_uploaded_bomb_is_refused_in_words(server: Server, browser: Any, tmp_path: Path) -> None:
    """A 120-MB cell packed into a small workbook, uploaded from the page: refused in words from
    the workbook's directory, the event left as it was and the server still answering."""
    path = bomb(tmp_path / "bomb.xlsx", 120)
    assert path.stat().st_size < 2 * 2**20
    new_event(browser, server, "Bomb")
    browser.find_element(By.ID, "sheet").send_keys(str(path))
    browser.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()
    wait_text(browser, "the workbook unpacks to")
    assert "is it the right file?" in browser.page_source
    assert server.app.state.context.store.pools(1) == []
    browser.get(server.url + "/")
    wait_text(browser, "Your events")


def test_the_exchange_map_shows_one_partnership_at_a_time(browser: Any, tmp_path: Path) -> None:
    """A large programme's page: the overview's country lines first; choosing a partnership shows
    its own lines and dots only."""
    from consortium_solver.exchange import ExchangeOptions, plan_exchanges
    from consortium_solver.io.exchange_page import ALL, plan_page
    from consortium_solver.rules.scheme import load_scheme
    from consortium_solver.synthetic.exchanges import generate_exchange_pool

    pool = generate_exchange_pool(300, 1, partnerships=4, budgets=False)
    result = plan_exchanges(pool, load_scheme(), ExchangeOptions(time_limit=5, workers=1))
    page = tmp_path / "plan.html"
    page.write_text(plan_page(result, pool), encoding="utf-8")
    browser.get(page.as_uri())

    def shown() -> set[str]:
        return {
            str(el.get_attribute("data-group"))
            for el in browser.find_elements(By.CSS_SELECTOR, "svg [data-group]")
            if el.is_displayed()
        }

    assert shown() == {ALL}
    Select(browser.find_element(By.ID, "view")).select_by_value(pool.partnerships[1].id)
    assert shown() == {pool.partnerships[1].id}
