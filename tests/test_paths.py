"""A story's address without reversing it each time (articles/paths.py): the same answer as reverse()."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import NoReverseMatch, include, path, reverse, set_script_prefix
from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles import paths
from articles.models import Article

# Another site's URL configuration (test_another_url_configuration_is_reversed_anew).
urlpatterns = [
    path(
        "",
        include(([path("elsewhere/<int:pk>/<str:slug>/", lambda request: HttpResponse(), name="detail")], "articles")),
    )
]


def both(pk, slug):
    """(the fast answer, reverse()'s), each an address or the exception's type."""
    answers = []
    for way in (paths.story_path, lambda pk, slug: reverse("articles:detail", kwargs={"pk": pk, "slug": slug})):
        try:
            answers.append(way(pk, slug))
        except (NoReverseMatch, UnicodeEncodeError) as error:
            answers.append(type(error))
    return answers


@settings(max_examples=300, deadline=None)
@given(pk=st.one_of(st.integers(min_value=-5, max_value=10**12), st.just(True)), slug=st.text(max_size=40))
@example(pk=1, slug="الأمين-العام-يعرب-عن-قلقه")
@example(pk=1, slug="a/b")
@example(pk=1, slug="")
@example(pk=1, slug="a\nb")
@example(pk=1, slug="%41 ?#[]!$&'()*+,;=~:@")
@example(pk=-1, slug="x")
@example(pk=1, slug="\ud800")
def test_a_story_s_address_is_reverse_s(pk, slug):
    fast, reversed_ = both(pk, slug)
    assert fast == reversed_


def test_the_address_follows_the_script_prefix_and_a_story_s_own_slug():
    story = Article(pk=42, slug="خبر-عاجل")
    assert story.get_absolute_url() == reverse("articles:detail", kwargs={"pk": 42, "slug": "خبر-عاجل"})
    set_script_prefix("/news room/")
    try:
        assert paths.story_path(42, "خبر") == reverse("articles:detail", kwargs={"pk": 42, "slug": "خبر"})
        assert paths.story_path(42, "خبر").startswith("/news%20room/articles/42/")
    finally:
        set_script_prefix("/")
    assert paths.story_path(42, "خبر").startswith("/articles/42/")


@pytest.mark.parametrize("slug", ["x", "خبر"])
def test_another_url_configuration_is_reversed_anew(slug):
    with override_settings(ROOT_URLCONF="tests.test_paths"):
        assert paths.story_path(7, slug) == reverse("articles:detail", kwargs={"pk": 7, "slug": slug})
        assert paths.story_path(7, slug).startswith("/elsewhere/7/")
