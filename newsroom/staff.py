"""Staff accounts: the lockout page after too many failed log-ins (django-axes) and the second factor (django-otp's
TOTP, with single-use recovery codes for a lost phone), asked for once per log-in by a middleware in front of
the admin. docs/staff.md says why it is built so."""

import logging
import math

from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.security import client_ip

logger = logging.getLogger(__name__)


def client_address(request) -> str | None:
    """The address axes counts failures under: the same rule as the API's throttle and the comment limits
    (newsroom/security.py), so a client cannot shake off its lockout by sending X-Forwarded-For."""
    return client_ip(request) or None


def lockout_response(request, original_response=None, credentials=None):
    """The admin's log-in page with the reason in the interface language, answered 429 with Retry-After.

    axes calls this both for the attempt that reaches the limit and for every attempt while the lockout lasts,
    a right password included: the password is never checked then."""
    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0
    if minutes:
        message = ngettext(
            "Too many failed log-in attempts. Try again in %(minutes)d minute.",
            "Too many failed log-in attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    else:
        message = _("Too many failed log-in attempts. Ask an administrator to unlock your account.")
    context = {
        **admin.site.each_context(request),
        "title": _("Log in"),
        "app_path": request.get_full_path(),
        "form": AdminAuthenticationForm(request),
        "username": request.user.get_username(),
        "next": request.POST.get("next", "") or request.GET.get("next", ""),
        "lockout_message": message,
    }
    response = render(request, "admin/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def needs_second_factor(user) -> bool:
    """Who must give a code after the password: anyone who enrolled a device (otherwise enrolling protects
    nothing), and every superuser when NEWSROOM_REQUIRE_2FA is on, enrolled or not (then they cannot get in)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser and settings.NEWSROOM_REQUIRE_2FA:
        return True
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def _anonymous() -> AnonymousUser:
    user = AnonymousUser()
    user.otp_device = None  # what django-otp's middleware gives every user
    user.is_verified = lambda: False
    return user


class SecondFactorMiddleware:
    """Until a member of staff who needs a second factor has given it, the admin shows them only the code page
    (log-out and log-in stay open), and every other door (the API's session authentication, the previews)
    treats them as anonymous. Goes after django-otp's OTPMiddleware.

    Requests without a session cookie are not looked at: reading request.user would touch the session and
    add Vary: Cookie to every anonymous page, which shared caches must be able to keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and self._half_logged_in(request.user):
            if request.path.startswith(reverse("admin:index")):
                if request.path not in _open_paths():
                    next_url = urlencode({"next": request.get_full_path()})
                    return HttpResponseRedirect(f"{reverse('second-factor')}?{next_url}")
            else:
                anonymous = _anonymous()
                request.user = anonymous

                async def auser():
                    return anonymous

                request.auser = auser
        return self.get_response(request)

    @staticmethod
    def _half_logged_in(user) -> bool:
        return user.is_authenticated and not user.is_verified() and needs_second_factor(user)


def _open_paths() -> set[str]:
    return {reverse("second-factor"), reverse("admin:logout"), reverse("admin:login")}


def recovery_code(typed: str) -> str | None:
    """A recovery code as stored (django-otp's static tokens: 8 of a–z and 2–7), from what was typed: any
    case, with or without the hyphen it is printed with; None for what cannot be one."""
    code = "".join(typed.split()).replace("-", "").lower()
    if len(code) != 8 or not code.isascii() or not code.isalnum():
        return None
    return code


class SecondFactorForm(forms.Form):
    """The six digits the authenticator app shows now (spaces allowed; Arabic-Indic digits read as digits), or
    one of the user's recovery codes, each good once."""

    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "dir": "ltr",
                "aria-describedby": "recovery-help",
            }
        ),
    )

    def __init__(self, *args, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = devices
        self.device = None

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if token.isdecimal():  # decimal digits of any script; not "²", which int() refuses
            # int() reads ٠١٢ and ۰۱۲ as digits too; django-otp compares the token as a number.
            return self._verified(TOTPDevice, str(int(token)).zfill(len(token)))
        code = recovery_code(token)
        if code is None:
            raise forms.ValidationError(
                _("Enter the digits your authenticator app shows, or one of your recovery codes.")
            )
        return self._verified(StaticDevice, code)

    def _verified(self, kind, token: str) -> str:
        allowed = [d for d in self.devices if isinstance(d, kind) and d.verify_is_allowed()[0]]
        if not allowed and any(isinstance(d, kind) for d in self.devices):
            raise forms.ValidationError(_("Too many wrong codes in a row: wait a few seconds, then try again."))
        for device in allowed:
            with transaction.atomic():
                # Locked, so that one code cannot be used twice by two requests at once (django-otp keeps the
                # time step of the last accepted TOTP code and refuses it and older ones; it deletes a
                # recovery code as it accepts it).
                locked = kind.objects.select_for_update().get(pk=device.pk)
                if locked.verify_token(token):
                    self.device = locked
                    return token
        raise forms.ValidationError(
            _("This code is wrong, has expired or was used already. Enter the code your app shows now.")
        )


def second_factor_devices(user) -> list:
    """The user's confirmed authenticator apps and recovery codes."""
    return [
        *TOTPDevice.objects.devices_for_user(user, confirmed=True),
        *StaticDevice.objects.devices_for_user(user, confirmed=True),
    ]


def second_factor_view(request):
    """The second step of a log-in: a code from the user's TOTP device or one of their recovery codes; on
    success the session is marked verified (django-otp) and gets a new key."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("admin:index")
    user = request.user
    if user.is_verified() or not needs_second_factor(user):
        return HttpResponseRedirect(next_url)
    devices = second_factor_devices(user)
    form = SecondFactorForm(request.POST if request.method == "POST" else None, devices=devices)
    if devices and request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        request.session.cycle_key()
        if isinstance(form.device, StaticDevice):
            _recovery_code_used(request, form.device)
        return HttpResponseRedirect(next_url)
    return TemplateResponse(
        request,
        "admin/otp_verify.html",
        {
            **admin.site.each_context(request),
            "has_permission": False,  # no menus, no app list before the second factor
            "title": _("Second factor"),
            "form": form,
            "enrolled": bool(devices),
            "next": next_url,
            "username": user.get_username(),
        },
    )


def _recovery_code_used(request, device: StaticDevice) -> None:
    left = device.token_set.count()
    logger.warning("recovery code used by %s; %s left", request.user.get_username(), left)
    messages.warning(
        request,
        ngettext(
            "You logged in with a recovery code, which cannot be used again: %(count)s is left. If your phone "
            "is lost, ask an administrator for a new authenticator setup and new codes.",
            "You logged in with a recovery code, which cannot be used again: %(count)s are left. If your "
            "phone is lost, ask an administrator for a new authenticator setup and new codes.",
            left,
        )
        % {"count": left},
    )
