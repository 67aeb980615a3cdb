"""factory_boy factories for stories, parts and sources."""

import factory
from django.utils import timezone

from articles.models import Article, ArticleSource, Part, Source, SourceAlias, SourceRole
from articles.text import match_key


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"وكالة {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    kind = "agency"

    @factory.post_generation
    def with_alias(source, create, extracted, **kwargs):
        if create:
            SourceAlias.objects.create(source=source, alias=source.name, key=match_key(source.name))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"خبر عاجل رقم {n}")
    headline_key = factory.LazyAttribute(lambda article: match_key(article.headline))
    slug = factory.Sequence(lambda n: f"خبر-{n}")
    language = "ar"
    status = Article.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(minutes=5)),
        )


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part

    article = factory.SubFactory(ArticleFactory)
    number = factory.Sequence(lambda n: n + 1)
    body = "الفقرة الأولى.\n\nالفقرة الثانية."
    continues = False


class ArticleSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleSource

    article = factory.SubFactory(ArticleFactory)
    source = factory.SubFactory(SourceFactory)
    position = 1
    role = SourceRole.ORIGINATING_AGENCY


def translator(username="sara", first_name="Sara", last_name="Haddad"):
    """A user in the Translator group, credited by name on the translations they make."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username, first_name=first_name, last_name=last_name)
    user.groups.add(Group.objects.get(name="Translator"))
    return user
