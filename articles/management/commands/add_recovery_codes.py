"""`manage.py add_recovery_codes <username>`: single-use codes that stand in for a member of staff's authenticator
app when the phone is lost; printed once, on standard output."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

NAME = "recovery codes"


def printed(code: str) -> str:
    """abcd-efgh: two groups of four are easier to copy out than eight letters in a row."""
    return f"{code[:4]}-{code[4:]}"


class Command(BaseCommand):
    help = (
        "Create single-use recovery codes for a user who has an authenticator app (manage.py add_totp_device) "
        "and print them on standard output, one a line: on the code page, each one stands in for the app once. "
        "Creating codes again replaces the earlier ones. The codes are secrets: hand them over as you would a "
        "password, for the user to keep away from the phone."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--count", type=int, default=10, help="how many codes (1 to 20; default 10)")

    def handle(self, *args, username, count, **options):
        if not 1 <= count <= 20:
            raise CommandError(f"--count must be between 1 and 20, not {count}")
        user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if not TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
            raise CommandError(
                f"{username} has no authenticator app: recovery codes stand in for one. "
                f"Set one up first (manage.py add_totp_device {username})"
            )
        with transaction.atomic():
            existing = StaticDevice.objects.devices_for_user(user).select_for_update()
            replaced = existing.exists()
            existing.delete()
            device = StaticDevice.objects.create(user=user, name=NAME, confirmed=True)
            codes = [StaticToken.random_token() for _ in range(count)]
            StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        self.stderr.write(
            f"{count} recovery codes for {username}, each good once"
            + ("; the earlier codes no longer work" if replaced else "")
        )
        for code in codes:
            self.stdout.write(printed(code))
