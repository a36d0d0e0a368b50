"""The access matrix: every URL pattern of the project, opened by every kind of login, answers
what tests/access_table.py declares, and nothing answers 500.

The walk takes the patterns from `get_resolver().url_patterns` (recursively, admin included),
so a URL added by a new app is found without editing this file; one without an entry in the
table fails the test with the line to add. The data set (tests/access_world.py) is built once
per worker inside a transaction that is rolled back at the end.

ACCESS_MATRIX_DUMP=/path/prefix writes the answers each role got (prefix.<role>: one
"name<TAB>answer" line per pattern), for reviewing a change to many lines at once.
"""

import os
import re

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import access_table as table
from tests.access_world import ROLES, build_world


def url_patterns(patterns=None, prefix="", namespace=None):
    """(name with namespace, route) of every pattern, resolvers walked recursively."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if not pattern.name:
                name = f"{namespace or ''}:<unnamed /{route}>"
            else:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, route


def admin_model_pages():
    """name -> (model label, page kind) for the changelist, add and change page of each model."""
    pages = {}
    for model in admin.site._registry:
        opts = model._meta
        for kind in table.ADMIN_MODEL_PAGES:
            pages[f"admin:{opts.app_label}_{opts.model_name}_{kind}"] = (opts.label_lower, kind)
    return pages


def admin_generic_name(name: str, route: str) -> str | None:
    """The rule of table.ADMIN_GENERIC that covers an admin pattern, if any."""
    if not name.startswith("admin:"):
        return None
    for rule, regex in table.ADMIN_GENERIC.items():
        if re.search(regex, f"{name} {route}"):
            return rule
    return None


def answer(response) -> str:
    """A response as the table spells it: the status code, or `login` for a redirect to a
    sign-in page, or `302` for any other redirect."""
    if response.status_code in (301, 302):
        location = response.get("Location", "")
        if "/accounts/login/" in location or "/admin/login/" in location:
            return "login"
        return "302"
    return str(response.status_code)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(world, role):
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def proposed_entry(world, name: str, route: str) -> str:
    """The table line for a pattern that has none: for a URL without arguments, the answers
    every role gets now (review them before adding: they are what the code does, not what it
    should do); for one with arguments, the world object to name is left to fill in."""
    if re.search(r"<\w|\(\?P<", route):
        return (f'    "{name}": E("<key of World.args, added in tests/access_world.py>", default="<answer>", '
                f'<role>="<answer>", ...),  # /{route}')
    url = "/" + route.replace("^", "").replace("$", "")
    answers = {role: answer(_client(world, role).get(url)) for role in ROLES}
    default = max(set(answers.values()), key=list(answers.values()).count)
    rest = "".join(f', {role}="{got}"' for role, got in answers.items() if got != default)
    return f'    "{name}": E(default="{default}"{rest}),  # /{route}  (answers seen now: review them)'


def site_cases(world, propose=False):
    """(pattern name, url, expected answers by role) of every non-admin pattern, and the
    lines missing from the table."""
    cases, missing = [], []
    for name, route in url_patterns():
        if name.startswith("admin:"):
            continue
        entry = table.SITE.get(name)
        if entry is None:
            missing.append(proposed_entry(world, name, route) if propose else name)
            continue
        kwargs = {**(world.args[entry.args] if entry.args else {}), **entry.kwargs}
        cases.append((name, reverse(name, kwargs=kwargs), entry))
    return cases, missing


def admin_page_kwargs(world, name, route, entry) -> dict:
    """The URL arguments of a custom admin page: the entry's world object, else the first row
    of the page's model for `pk` (0 when it has none), plus the entry's literal values."""
    kwargs = dict(world.args[entry.args]) if entry.args else {}
    for key in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if key in kwargs or key in entry.kwargs:
            continue
        model = next((m for m in admin.site._registry
                      if name.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_")), None)
        row = model._default_manager.order_by("pk").first() if model is not None else None
        kwargs[key] = row.pk if row is not None else 0
    return {**kwargs, **entry.kwargs}


def admin_cases(world, propose=False):
    cases, missing = [], []
    objects = {}
    pages = admin_model_pages()
    for name, route in url_patterns():
        if not name.startswith("admin:"):
            continue
        if name in pages:
            label, kind = pages[name]
            model = admin.site._registry and next(m for m in admin.site._registry if m._meta.label_lower == label)
            kwargs = {}
            if kind == "change":
                obj = objects.get(label) or model._default_manager.order_by("pk").first()
                if obj is None:
                    continue  # no row of this model in the world: its changelist and add page are walked
                objects[label] = obj
                kwargs = {"object_id": obj.pk}
            cases.append((name, reverse(name, kwargs=kwargs), ("model", label, kind)))
        elif name in table.ADMIN_PAGES:
            entry = table.ADMIN_PAGES[name]
            cases.append((name, reverse(name, kwargs=admin_page_kwargs(world, name, route, entry)), entry))
        elif admin_generic_name(name, route) is None:
            missing.append(proposed_entry(world, name, route) if propose else name)
    return cases, missing


def expected_admin_model(role, label, kind):
    return table.admin_model_answer(role, label, kind)


@pytest.mark.django_db
def test_every_url_pattern_has_an_entry(world):
    _site, site_missing = site_cases(world, propose=True)
    _admin, admin_missing = admin_cases(world, propose=True)
    problems = []
    if site_missing:
        problems += ["URL patterns with no entry in tests/access_table.py: add these lines to SITE (with the "
                     "answer each role should get):", *site_missing]
    if admin_missing:
        problems += ["admin URL patterns with no entry: add these lines to ADMIN_PAGES of tests/access_table.py "
                     "(or a rule to ADMIN_GENERIC):", *admin_missing]
    assert not problems, "\n".join(problems)
    names = {name for name, _route in url_patterns()}
    stale = sorted((set(table.SITE) | set(table.ADMIN_PAGES)) - names)
    assert not stale, f"tests/access_table.py names patterns that no longer exist (remove them): {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_declared_answer_everywhere(world, role):
    client = _client(world, role)
    mismatches, seen = [], {}
    site, _missing = site_cases(world)
    for name, url, entry in site:
        got = answer(client.get(url))
        seen[name] = got
        wanted = entry.expected(role)
        if got not in wanted or got.startswith("5"):
            mismatches.append(f"{role:12} GET {url} ({name}): got {got}, the table says {'/'.join(sorted(wanted))}")
    admin_pages, _missing = admin_cases(world)
    for name, url, entry in admin_pages:
        got = answer(client.get(url))
        seen[name] = got
        if isinstance(entry, tuple):
            wanted = expected_admin_model(role, entry[1], entry[2])
        else:
            wanted = entry.expected(role)
        if got not in wanted or got.startswith("5"):
            mismatches.append(f"{role:12} GET {url} ({name}): got {got}, the table says {'/'.join(sorted(wanted))}")
    dump = os.environ.get("ACCESS_MATRIX_DUMP")
    if dump:
        with open(f"{dump}.{role}", "w") as handle:
            for name, got in seen.items():
                handle.write(f"{name}\t{got}\n")
    assert not mismatches, f"{len(mismatches)} answers differ from tests/access_table.py:\n" + "\n".join(mismatches)
