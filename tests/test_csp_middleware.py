"""The Content-Security-Policy middleware keeps the policy of the settings per process: each response still gets
exactly the headers django-csp's own middleware would give it."""

import pytest
from csp.constants import NONCE, SELF
from csp.decorators import csp_exempt, csp_replace, csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory, override_settings

from newsroom.middleware import ContentSecurityPolicyMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def plain(request):
    return HttpResponse("ok")


def with_nonce(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')


@csp_update({"img-src": ["https://images.example"]})
def updated(request):
    return HttpResponse("updated")


@csp_replace({"script-src": [SELF, "https://cdn.example"]})
def replaced(request):
    return HttpResponse("replaced")


@csp_exempt()
def exempt(request):
    return HttpResponse("exempt")


def missing(request):
    return HttpResponseNotFound("missing")


def answer(middleware_class, view, path="/"):
    """The CSP headers `middleware_class` gives `view`'s response to GET `path`, and the request."""
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    response = middleware(request)
    return {name: response.get(name) for name in HEADERS}, request


VIEWS = [plain, with_nonce, updated, replaced, exempt, missing]


def same_as_django_csp(view, path="/"):
    ours, request = answer(ContentSecurityPolicyMiddleware, view, path)
    theirs, _ = answer(CSPMiddleware, view, path)
    if "nonce-" in (ours["Content-Security-Policy"] or ""):
        # Each request has a nonce of its own: the two headers differ only there.
        nonce = request._csp_nonce
        ours = {name: (value or "").replace(nonce, "N") for name, value in ours.items()}
        theirs = {name: (value or "").replace(theirs_nonce(theirs), "N") for name, value in theirs.items()}
    assert ours == theirs, view.__name__
    return ours


def directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


def theirs_nonce(headers) -> str:
    return headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: view.__name__)
def test_every_response_gets_the_headers_django_csp_gives_it(view):
    same_as_django_csp(view)


def test_the_settings_policy_is_kept_and_a_nonce_or_a_decorator_still_changes_it():
    plain_policy = same_as_django_csp(plain)["Content-Security-Policy"]

    assert "script-src 'self'" in plain_policy and "nonce-" not in plain_policy
    assert "nonce-N" in same_as_django_csp(with_nonce)["Content-Security-Policy"]
    assert "https://images.example" in same_as_django_csp(updated)["Content-Security-Policy"]
    assert same_as_django_csp(exempt)["Content-Security-Policy"] is None
    # The kept policy is not changed by the responses that had one of their own.
    assert same_as_django_csp(plain)["Content-Security-Policy"] == plain_policy


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: view.__name__)
def test_overridden_settings_are_followed_at_once(view, settings):
    before = answer(ContentSecurityPolicyMiddleware, plain)[0]
    policy = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE], "report-uri": "/csp-reports/"}}
    with override_settings(
        CONTENT_SECURITY_POLICY={**policy, "EXCLUDE_URL_PREFIXES": ["/excluded/"]},
        CONTENT_SECURITY_POLICY_REPORT_ONLY={"DIRECTIVES": {"default-src": ["'none'"]}},
    ):
        headers = same_as_django_csp(view)
        same_as_django_csp(view, "/excluded/page")
        if view is plain:
            # django-csp writes the directives in a set's order (the process's hash seed): compared as a set.
            assert directives(headers["Content-Security-Policy"]) == {
                "default-src 'self'",
                "script-src 'self'",
                "report-uri /csp-reports/",
            }
            assert headers["Content-Security-Policy-Report-Only"] == "default-src 'none'"
            assert answer(ContentSecurityPolicyMiddleware, plain, "/excluded/x")[0]["Content-Security-Policy"] is None
    assert answer(ContentSecurityPolicyMiddleware, plain)[0] == before


def test_debug_pages_are_left_alone_as_django_csp_leaves_them(settings):
    settings.DEBUG = True

    assert same_as_django_csp(missing) == {name: None for name in HEADERS}
    assert same_as_django_csp(plain)["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_written_is_refused():
    from csp.exceptions import CSPNonceError

    _, request = answer(ContentSecurityPolicyMiddleware, plain)

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
