"""The home page's 待办 (to-do): what is waiting for the signed-in user, gathered from the
apps that know. Each app registers a function `todos(user) -> list[Todo]` in its AppConfig's
ready(); a function answers in a fixed number of queries and returns only what concerns the
user's role, so the home page stays bounded however much data there is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Todo:
    label: str  # 待审核的整改
    count: int
    url: str  # the filtered list that holds those rows
    note: str = ""  # one line under the figure
    urgent: bool = False  # past a deadline: shown in the warning colour


Provider = Callable[[object], list[Todo]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def todos_for(user) -> list[Todo]:
    """Every waiting item with something in it, urgent ones first, in registration order."""
    found = [todo for provider in _providers for todo in provider(user) if todo.count]
    return sorted(found, key=lambda todo: not todo.urgent)
