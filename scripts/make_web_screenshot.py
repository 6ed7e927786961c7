"""Write docs/web-app.png and docs/web-phone.png, the README's pictures of `consortium serve`: the
organiser's sheet uploaded and fixed in the page, 3 rounds of groups of 4–5 made with the 2018
call's rules, seen in headless Chromium (the browser tests' set-up: tests/test_browser.py) on a
laptop and at a phone's 375 px, an organisation looked up in the search box; and
docs/organiser-plan.png, the same run's page to print (the download "page to print (.html)").

    .venv/bin/python scripts/make_web_screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from selenium.webdriver.common.by import By  # noqa: E402

from tests.test_browser import (  # noqa: E402
    PHONE,
    Server,
    chromium,
    new_event,
    start_run,
    upload_and_fix,
    wait_text,
)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="consortium-screenshot-"))
    with Server(folder / "data") as server:
        driver = chromium(folder)
        try:
            driver.set_window_size(1280, 1000)
            new_event(driver, server, "Cluster Matchmaking Day 2026")
            upload_and_fix(driver)
            start_run(driver, size_min="4", size_max="5", rounds="3", time_limit="5")
            wait_text(driver, "Download the plan:")
            driver.find_element(By.TAG_NAME, "h1").click()
            driver.save_screenshot(str(ROOT / "docs" / "web-app.png"))
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**PHONE, "height": 900})
            driver.refresh()
            wait_text(driver, "Download the plan:")
            driver.find_element(By.ID, "find").send_keys("bayern")
            wait_text(driver, "Round 2:")
            driver.execute_script("document.getElementById('find').scrollIntoView()")
            driver.save_screenshot(str(ROOT / "docs" / "web-phone.png"))
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            plan = folder / "plan.html"
            with urllib.request.urlopen(server.url + "/runs/1/groups.html") as response:
                plan.write_bytes(response.read())
            driver.get(plan.as_uri())
            driver.find_element(By.ID, "find").send_keys("bayern")
            wait_text(driver, "Round 2:")
            driver.save_screenshot(str(ROOT / "docs" / "organiser-plan.png"))
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
