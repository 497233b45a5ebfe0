"""Settings come from the environment; a production configuration passes Django's checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"SECRET_KEY", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL",
                         "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_deploy_check_is_clean_with_debug_off_and_a_real_key():
    result = manage("check", "--deploy", SECRET_KEY="x7" * 30 + "Qz!", DJANGO_DEBUG="0",
                    ALLOWED_HOSTS="portal.example.gov.cn")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_a_key_and_with_debug_off_it_refuses_to_start():
    result = manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_the_interface_is_chinese_whatever_the_browser_asks_for(client):
    # Django's own strings (form errors, dates) would follow Accept-Language otherwise.
    response = client.post(reverse("login"), {"username": "", "password": ""},
                           HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.context["form"].errors["username"] == ["这个字段是必填项。"]
