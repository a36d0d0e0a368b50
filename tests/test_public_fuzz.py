"""Every public and member GET URL answers odd parameters without a 500.

Generic: the URL resolver is walked (everything but the admin, walked by test_admin_smoke),
path parameters are filled with values each converter accepts (a real-looking one, a huge
number), and each URL is opened anonymously and as a signed-in member with NUL bytes, huge
numbers, empty and unknown values. Apps added later are covered without editing this file.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Values tried for a path parameter; each converter takes those its regex accepts.
PATH_SAMPLES = ["1", "9" * 25, "0", "x", "WQ2026-000001", "00000000-0000-0000-0000-000000000000", "abc-def", "thumb"]
ODD_PARAMS = [
    {},
    {"q": "\x00"},
    {"q": "9" * 40, "page": "9" * 30, "year": "10000", "id": "9" * 30},
    {"q": "", "page": "-1", "year": "0", "town": "x", "next": "//example.com"},
    {"unknown_parameter": "\u3000", "page": "", "sort": "../../etc/passwd", "token": "9" * 64},
]


def _walk(patterns, prefix="", inherited=None):
    """(route, converters) of every URL pattern outside the admin."""
    inherited = inherited or {}
    for entry in patterns:
        converters = {**inherited, **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), converters)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), converters


def _fill(route: str, converters: dict) -> list[str]:
    """Concrete paths for a route: each <name> replaced by the samples its converter accepts."""
    if route.startswith("^"):
        return []  # regex routes (i18n's set_language is a plain path; none are regexes today)
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not names:
        return ["/" + route]
    paths = []
    for sample_index in range(len(PATH_SAMPLES)):
        path = route
        ok = True
        for name in names:
            converter = converters.get(name)
            regex = converter.regex if converter is not None else "[^/]+"
            choices = [s for s in PATH_SAMPLES if re.fullmatch(regex, s)]
            if not choices:
                ok = False
                break
            path = re.sub(rf"<(?:\w+:)?{name}>", choices[sample_index % len(choices)], path, count=1)
        if ok and ("/" + path) not in paths:
            paths.append("/" + path)
    return paths[:3]


def public_paths() -> list[str]:
    paths = []
    for route, converters in _walk(get_resolver().url_patterns):
        # staff pages under /admin/ outside the admin site itself (the work queues) are walked
        # by the admin smoke test and the access matrix
        paths.extend(p for p in _fill(route, converters) if p not in paths and not p.startswith("/admin/"))
    return paths


def test_the_walk_finds_the_public_pages():
    paths = public_paths()
    for expected in ["/rights/new/", "/join/", "/rights/employers/", "/join/employers/", "/me/rights/"]:
        assert expected in paths, expected
    assert not any(p.startswith("/admin/") for p in paths)


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_no_public_get_answers_500(client, member, signed_in):
    if signed_in:
        client.force_login(member.user)
    client.raise_request_exception = False
    failures = []
    for path in public_paths():
        for params in ODD_PARAMS:
            response = client.get(path, params)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {path} {params!r}")
    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/join/employers/", "/rights/employers/"])
def test_employer_search_with_a_nul_byte_is_refused_not_a_500(client, path):
    client.raise_request_exception = False
    # the NUL is taken out of the query before the view: the search answers for what is left
    assert client.get(path, {"q": "\x00"}).status_code == 200
    assert client.get(path, {"q": "稠城\x00测试"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["apps.membership.selectors", "apps.rights.selectors"])
def test_employer_search_selectors_ignore_nul_bytes(name):
    import importlib

    module = importlib.import_module(name)
    assert module.employers_search("\x00\x00") == []
    assert module.employers_search("稠城\x00") == []
