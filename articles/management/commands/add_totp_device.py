"""`manage.py add_totp_device <username>`: give a member of staff a TOTP device and print its otpauth:// URI."""

from base64 import b32encode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Create a TOTP device (a second factor for the admin) for a user and print its otpauth:// URI on standard "
        "output, for an authenticator app (scan it as a QR code, e.g. `| qrencode -t ansiutf8`). From then on the "
        "user gives a code after the password. The URI is a secret: hand it over as you would a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="the device's name, shown in the admin")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the user's TOTP devices first (a lost or new phone); without it a user who has one is refused",
        )

    def handle(self, *args, username, name, replace, **options):
        user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        with transaction.atomic():
            existing = TOTPDevice.objects.devices_for_user(user).select_for_update()
            if existing.exists() and not replace:
                raise CommandError(
                    f"{username} already has a TOTP device; --replace deletes it and creates a new one "
                    "(the old app entry stops working)"
                )
            existing.delete()
            device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        if not user.is_staff:
            self.stderr.write(f"note: {username} is not staff and cannot use the admin until made staff")
        self.stderr.write(
            f"TOTP device {device.name!r} created for {username}; "
            f"secret for typing in by hand: {b32encode(device.bin_key).decode()}"
        )
        self.stdout.write(device.config_url)
