"""services/sources.py: sources and their spellings; the alias rule lives here and nowhere else."""

import pytest

from articles.models import Source, SourceAlias
from articles.selectors import find_sources
from articles.services import ServiceError, StaleVersion
from articles.services import sources as source_services

pytestmark = pytest.mark.django_db


def test_a_new_source_gets_a_unicode_slug_and_its_name_as_an_alias():
    source = source_services.create_source(name="  وكالة   الأنباء  ", aliases=["Wakala"])

    assert source.name == "وكالة الأنباء"
    assert source.slug == "وكالة-الأنباء"
    assert set(source.aliases.values_list("alias", flat=True)) == {"وكالة الأنباء", "Wakala"}


def test_a_spelling_that_names_another_source_is_refused_with_both_names():
    with pytest.raises(ServiceError, match=r"رويترز.*Reuters"):
        source_services.create_source(name="وكالة جديدة", aliases=["رويترز"])
    assert not Source.objects.filter(name="وكالة جديدة").exists()


def test_ingest_skips_a_taken_spelling_instead_of_refusing():
    source = source_services.create_source(name="رويترز", aliases=None)  # a wire's own spelling

    assert source.aliases.count() == 0
    assert find_sources(["رويترز"])["رويترز"].slug == "reuters"


def test_update_replaces_aliases_and_steps_the_version():
    source = source_services.create_source(name="وكالة", aliases=["أ", "ب"])

    updated = source_services.update_source(
        source=source, changes={"website": "https://example.org"}, aliases=["ب", "ج"], expected_version=1
    )

    assert updated.version == 2
    assert set(updated.aliases.values_list("alias", flat=True)) == {"وكالة", "ب", "ج"}


def test_a_stale_source_update_is_refused_and_writes_nothing():
    source = source_services.create_source(name="وكالة", aliases=[])

    with pytest.raises(StaleVersion):
        source_services.update_source(source=source, changes={"name": "اسم آخر"}, expected_version=9)
    assert Source.objects.get(pk=source.pk).name == "وكالة"


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"name": "a\x00b"}, "NUL"), ({"name": "س" * 201}, "limit is 200"), ({"slug": "reuters"}, "another source")],
)
def test_bad_source_values_are_refused_with_a_reason(changes, message):
    source = source_services.create_source(name="وكالة", aliases=[])

    with pytest.raises(ServiceError, match=message):
        source_services.update_source(source=source, changes=changes)


def test_the_alias_rule_holds_in_the_admin_too(editor_client):
    source = source_services.create_source(name="وكالة", aliases=[])
    url = f"/admin/articles/source/{source.pk}/change/"
    data = {
        "name": "وكالة",
        "slug": source.slug,
        "kind": "agency",
        "website": "",
        "aliases-TOTAL_FORMS": 1,
        "aliases-INITIAL_FORMS": 0,
        "aliases-MIN_NUM_FORMS": 0,
        "aliases-MAX_NUM_FORMS": 1000,
        "aliases-0-alias": "رويترز",
    }

    response = editor_client.post(url, data, headers={"accept-language": "en"})

    assert response.status_code == 200
    assert "Reuters" in response.content.decode()
    assert not SourceAlias.objects.filter(source=source, alias="رويترز").exists()


def test_sources_are_found_in_one_statement_with_all_their_aliases(django_assert_num_queries):
    """What a story's search document lists of its sources comes with them: two spellings of one agency find it
    once, holding each of its aliases once, in their order, and reading them asks nothing more."""
    najm = source_services.create_source(name="وكالة النجم", aliases=["Najm Agency", "وكالة النجم نيوز", "أنباء النجم"])
    fajr = source_services.create_source(name="صحيفة الفجر", aliases=["Al Fajr Daily"])

    with django_assert_num_queries(1):
        found = find_sources(["وكالة النجم", "Najm Agency", "صحيفة الفجر", "لا أحد"])
        aliases = {name: [alias.alias for alias in source.aliases.all()] for name, source in found.items()}

    assert set(found) == {"وكالة النجم", "Najm Agency", "صحيفة الفجر"}
    assert found["وكالة النجم"] is found["Najm Agency"] and found["وكالة النجم"].pk == najm.pk
    assert aliases["Najm Agency"] == list(najm.aliases.values_list("alias", flat=True))
    assert len(aliases["Najm Agency"]) == 4 and len(aliases["صحيفة الفجر"]) == 2
    assert aliases["صحيفة الفجر"] == list(fajr.aliases.values_list("alias", flat=True))
    assert found["صحيفة الفجر"].pk == fajr.pk
    with django_assert_num_queries(0):
        assert find_sources([]) == {}
