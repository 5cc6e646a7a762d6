"""What the admin API takes to give a person his console access."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from hub.domain.logins import LOGIN_MAX, PASSWORD_MAX
from hub.services.directory.commands import Body

Login = Annotated[str, StringConstraints(min_length=1, max_length=LOGIN_MAX)]


class PasswordSet(Body):
    """``PUT /managers/{id}/password``: the password itself (and a login, when he gets one)."""

    password: Annotated[str, StringConstraints(max_length=PASSWORD_MAX)]
    login: Login | None = None


class PasswordLinkCreate(Body):
    """``POST /managers/{id}/password-link``: a login he will log in with, when he gets one."""

    login: Login | None = None
