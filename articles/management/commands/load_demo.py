"""`manage.py load_demo`: the seed story, published, with an English translation of its first take, and an
editor account to try the admin with."""

import os
import secrets
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from articles.models import AuditEntry
from articles.services import translations, workflow
from articles.services.ingest import ingest_bytes
from articles.services.parts import NewPart

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "csto-karabakh-2020-09-28.txt"
SEED_ENGLISH = SEED.with_suffix(".en.txt")
# The README's password: for a developer's machine (DEBUG on) only, since anyone who has read the README knows it.
PUBLISHED_PASSWORD = "newsroom-editor"


class Command(BaseCommand):
    help = "Load demo content (the seed story, published) and create the editor account; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("NEWSROOM_DEMO_USER", "editor"))
        parser.add_argument(
            "--password",
            default=os.environ.get("NEWSROOM_DEMO_PASSWORD") or None,
            help=f"default: {PUBLISHED_PASSWORD} with DEBUG on; with DEBUG off a random one, printed once",
        )
        # Where `make run` serves, so the printed links work (the Makefile passes its HOST and PORT).
        parser.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1")
        parser.add_argument("--port", default=os.environ.get("PORT") or "8000")

    def handle(self, *args, **options):
        site = f"http://{options['host']}:{options['port']}"  # as runserver takes it: an IPv6 host in brackets
        result = ingest_bytes(data=SEED.read_bytes(), publish=True, via=AuditEntry.Via.COMMAND)
        self.stdout.write(f"Seed story {result.action}: {site}{unquote(result.article.get_absolute_url())}")
        english = self._translation(result.article)
        if english is not None:
            self.stdout.write(f"Its English translation: {site}{unquote(english.get_absolute_url())}")

        User = get_user_model()
        user, created = User.objects.get_or_create(username=options["username"], defaults={"is_staff": True})
        if created:
            password = self._password(options["password"])
            generated = password != options["password"] and password != PUBLISHED_PASSWORD
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name="Editor"))
            self.stdout.write(f"Editor account created: log in at {site}/admin/ as {options['username']} / {password}")
            if generated:
                self.stdout.write(
                    f"DEBUG is off, so the password is a random one instead of the README's {PUBLISHED_PASSWORD}; "
                    "it is shown only this once (change it with: python manage.py changepassword "
                    f"{options['username']})"
                )
        else:
            self.stdout.write(
                f"Editor account {options['username']} exists; its password is unchanged "
                f"(reset it with: python manage.py changepassword {options['username']})"
            )

    def _password(self, given: str | None) -> str:
        """The password given, else the published one on a developer's machine; with DEBUG off (`make serve`,
        production) a login anyone who has read the README could use is never created."""
        if given is not None and (settings.DEBUG or given != PUBLISHED_PASSWORD):
            return given
        return PUBLISHED_PASSWORD if settings.DEBUG else secrets.token_urlsafe(12)

    def _translation(self, original):
        """The demo's English translation of the seed's first take, published and marked current (the second
        take is left for a translator: the desk decided the first says what readers need)."""
        existing = original.translations.filter(language="en").first()
        if existing is not None or "en" not in settings.NEWSROOM_LANGUAGES:
            return existing
        headline, *paragraphs = [p for p in SEED_ENGLISH.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        translation = translations.create_translation(
            original=original,
            language="en",
            headline=headline.strip(),
            parts=[NewPart(body="\n\n".join(p.strip() for p in paragraphs))],
            via=AuditEntry.Via.COMMAND,
        )
        translations.mark_current(translation=translation, via=AuditEntry.Via.COMMAND)
        return workflow.transition(article=translation, name="publish", via=AuditEntry.Via.COMMAND)
