"""Browser tests: a real Streamlit server on a hand-made database, driven by Playwright in Debian's
Chromium. Screenshots go to screenshots/ (git-ignored) for a person to look at."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from core.base.db import make_engine, write_tx
from core.base.migrate import upgrade
from core.base.models import User
from core.base.users import hash_password
from tests.factories import NOW, add_rep_records, make_org

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
PASSWORD = "browser-pass-1"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if path:
        return path
    reason = "Debian's chromium is not installed (make test installs it when run as root)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser suite, but {reason}", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory) -> str:
    """The AppTest organisation (teams Alpha and Beta, reps a1 a2 b1 b2, lead lena, director dora);
    dora, lena and a1 can log in with PASSWORD."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'cockpit.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with write_tx(engine) as s:
        org = make_org(s)
        for rep in org.reps:
            add_rep_records(s, rep, rep.username)
        pw = hash_password(PASSWORD, rounds=4)
        for user in s.query(User).filter(User.username.in_(["dora", "lena", "a1"])):
            user.password_hash = pw
    engine.dispose()
    return url


@contextmanager
def running_app(database_url: str, work_dir: Path, cookie_letter: str = "e", **extra_env: str) -> Iterator[str]:
    """The app on a free port of 127.0.0.1 over ``database_url`` with the frozen clock (and
    ``extra_env``); yields its base URL and stops it afterwards. The log is ``work_dir``/streamlit.log."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=database_url, COCKPIT_NOW=NOW.isoformat(),
               COCKPIT_COOKIE_KEY=cookie_letter * 48, PYTHONPATH=str(ROOT), **extra_env)
    log = open(work_dir / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "Home.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"the app did not start on {base}; see {log.name}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def server(e2e_db, tmp_path_factory):
    """The app over the shared e2e database, stopped after the session."""
    with running_app(e2e_db, tmp_path_factory.mktemp("server")) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    path = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)  # a cold first page on a busy 2-core CI machine can take long
    yield pg
    context.close()


def shot(page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_idle(page, quiet_ms: int = 600, timeout_s: float = 60) -> None:
    """Wait until the script has not been running for ``quiet_ms`` (Streamlit shows its status
    widget while a run is under way)."""
    deadline, quiet_since = time.time() + timeout_s, None
    while time.time() < deadline:
        if page.get_by_test_id("stStatusWidget").count():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.time()
        elif (time.time() - quiet_since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(100)


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form (its labels are Chinese: the default language).

    The login cookie's component reports back a moment after the first page shows and reruns the
    script; a click that lands in that rerun can be dropped, as a person's would (they click again).
    So: wait until the page is quiet, and click once more if the form is still there."""
    page.goto(base)
    page.get_by_role("textbox", name="用户名").wait_for()
    wait_idle(page)
    page.get_by_role("textbox", name="用户名").fill(username)
    page.get_by_role("textbox", name="密码").fill(password)
    logged_in = page.get_by_text("退出登录")
    for attempt in range(3):
        page.get_by_role("button", name="登录").click()
        try:
            logged_in.wait_for(timeout=20_000 if attempt < 2 else 60_000)
            break
        except Exception:
            if attempt == 2 or not page.get_by_role("button", name="登录").count() \
                    or page.get_by_test_id("stAlert").count():  # a message: the click was heard
                raise
            wait_idle(page)
    # the login cookie is written by a component a moment after the page shows
    for _ in range(50):
        if any(c["name"] == "sales_cockpit" for c in page.context.cookies()):
            break
        page.wait_for_timeout(200)
    else:
        raise AssertionError("no login cookie was set")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failing browser test, keep a screenshot of what the page showed, and put the page's
    text in the report (CI keeps the output, not the screenshots)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "page" in item.funcargs:
        try:
            pg = item.funcargs["page"]
            shot(pg, f"FAILED-{item.name}")
            report.sections.append(("what the page showed", f"{pg.url}\n{pg.inner_text('body')[:3000]}"))
        except Exception:  # the page may be gone; the failure itself is what matters
            pass


def grid_text(page, header: str, timeout_s: float = 30) -> str:
    """The text of the table whose column headers include ``header``. Streamlit draws tables on a
    canvas; their accessible table exists once the table has been scrolled into view."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        frames = page.get_by_test_id("stDataFrame")
        for k in range(frames.count()):
            frame = frames.nth(k)
            try:
                frame.scroll_into_view_if_needed(timeout=5000)
                page.wait_for_timeout(300)
                table = frame.locator("table")
                text = table.first.text_content(timeout=5000) if table.count() else ""
                if header in (text or ""):
                    return text
            except Exception:  # re-rendered while we looked: look again
                continue
        page.wait_for_timeout(500)
    raise AssertionError(f"no table with the column {header!r}")
