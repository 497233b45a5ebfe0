import pytest


@pytest.fixture
def sign_in(page, live_server):
    """sign_in(username, password): log in through the login page with the keyboard."""

    def sign_in(username: str, password: str) -> None:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/")

    return sign_in
