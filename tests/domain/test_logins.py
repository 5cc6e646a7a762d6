"""The rules of logging in: logins, passwords, where a login page may send a person, and the
sliding window of attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hub.domain.attempts import SlidingWindow
from hub.domain.csrf import form_token, token_matches
from hub.domain.logins import (
    SESSION_IDLE,
    SESSION_MAX,
    client_address,
    local_path,
    login_problem,
    password_link,
    password_problem,
    session_expiry,
)

START = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/cases?status=open", "/cases?status=open"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("cases", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/a\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_a_login_page_sends_only_to_a_local_path(target: str | None, expected: str) -> None:
    assert local_path(target) == expected


def test_logins_and_passwords() -> None:
    assert login_problem("Ivan.Petrov") is None
    assert login_problem("иван") is None
    assert login_problem("101") is not None  # an extension
    assert login_problem("   ") is not None
    assert login_problem("a b") is not None
    assert login_problem("x" * 61) is not None
    assert password_problem("1234567") is not None
    assert password_problem("12345678") is None
    assert password_problem(" " * 8) is not None


def test_a_session_ends_idle_or_at_most_a_month_on() -> None:
    assert session_expiry(START, START) == START + SESSION_IDLE
    late = START + SESSION_MAX - timedelta(days=1)
    assert session_expiry(START, late) == START + SESSION_MAX


def test_password_links_are_absolute_with_the_public_address() -> None:
    assert password_link("https://x.example/", "abc") == "https://x.example/password/abc"
    assert password_link(None, "abc") == "/password/abc"


def test_the_window_refuses_the_eleventh_attempt_and_slides() -> None:
    window = SlidingWindow(10, timedelta(minutes=1))
    moments = [START + timedelta(seconds=5 * n) for n in range(10)]
    assert all(window.attempt("ivan", at) for at in moments)
    assert not window.attempt("ivan", START + timedelta(seconds=59))
    assert window.attempt("olga", START + timedelta(seconds=59))
    # The first attempt leaves the window a minute after it was made.
    assert window.attempt("ivan", START + timedelta(seconds=60))
    assert not window.attempt("ivan", START + timedelta(seconds=61))
    # One attempt counted against two keys: refused if either has had its share, and then
    # counted for neither.
    assert not window.attempt_all(["ivan", "address"], START + timedelta(seconds=62))
    assert window.attempt_all(["fresh", "address"], START + timedelta(seconds=62))


def test_form_tokens_bind_to_their_value_and_key() -> None:
    token = form_token(b"key", "session", "abc")
    assert token_matches(b"key", "session", "abc", token)
    assert not token_matches(b"key", "cookie", "abc", token)
    assert not token_matches(b"other", "session", "abc", token)
    assert not token_matches(b"key", "session", "abd", token)
    assert not token_matches(b"key", "session", None, token)
    assert not token_matches(b"key", "session", "abc", None)


def test_the_client_address_is_the_proxys_word_only_from_this_machine() -> None:
    assert client_address("127.0.0.1", "203.0.113.7") == "203.0.113.7"
    assert client_address("::1", "203.0.113.7") == "203.0.113.7"
    assert client_address("198.51.100.1", "203.0.113.7") == "198.51.100.1"
    assert client_address("127.0.0.1", None) == "127.0.0.1"
    assert client_address(None, "203.0.113.7") == "-"
