"""Browser-test harness: pytest-playwright driving Debian's chromium.

Playwright cannot download its own browsers here, so the launch arguments point it at the
system chromium (or $CHROMIUM_PATH). Other fixtures belong in the apps' conftest files.
"""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# the ORM calls that pytest-django's live_server and the tests make from that thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_FLAGS],
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "accept_downloads": True, "locale": "zh-CN"}
