"""`manage.py load_demo`: the seed story, published, and an editor account to try the admin with."""

import os
from pathlib import Path
from urllib.parse import unquote

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from articles.models import AuditEntry
from articles.services.ingest import ingest_bytes

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "csto-karabakh-2020-09-28.txt"


class Command(BaseCommand):
    help = "Load demo content (the seed story, published) and create the editor account; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("NEWSROOM_DEMO_USER", "editor"))
        parser.add_argument("--password", default=os.environ.get("NEWSROOM_DEMO_PASSWORD", "newsroom-editor"))
        # Where `make run` serves, so the printed links work (the Makefile passes its HOST and PORT).
        parser.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1")
        parser.add_argument("--port", default=os.environ.get("PORT") or "8000")

    def handle(self, *args, **options):
        site = f"http://{options['host']}:{options['port']}"  # as runserver takes it: an IPv6 host in brackets
        result = ingest_bytes(data=SEED.read_bytes(), publish=True, via=AuditEntry.Via.COMMAND)
        self.stdout.write(f"Seed story {result.action}: {site}{unquote(result.article.get_absolute_url())}")

        User = get_user_model()
        user, created = User.objects.get_or_create(username=options["username"], defaults={"is_staff": True})
        if created:
            user.set_password(options["password"])
            user.save()
            user.groups.add(Group.objects.get(name="Editor"))
            self.stdout.write(
                f"Editor account created: log in at {site}/admin/ as {options['username']} / {options['password']}"
            )
        else:
            self.stdout.write(
                f"Editor account {options['username']} exists; its password is unchanged "
                f"(reset it with: python manage.py changepassword {options['username']})"
            )
