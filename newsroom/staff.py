"""Staff accounts: the lockout page after too many failed log-ins (django-axes) and the second factor (django-otp's
TOTP), asked for once per log-in by a middleware in front of the admin. docs/staff.md says why it is built so."""

import math

from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import admin
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
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.security import client_ip


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


class SecondFactorForm(forms.Form):
    """The six digits the authenticator app shows now (spaces allowed; Arabic-Indic digits read as digits)."""

    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "dir": "ltr"}
        ),
    )

    def __init__(self, *args, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = devices
        self.device = None

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdecimal():  # decimal digits of any script; not "²", which int() refuses
            raise forms.ValidationError(_("The code is the digits your authenticator app shows."))
        allowed = [device for device in self.devices if device.verify_is_allowed()[0]]
        if not allowed:
            raise forms.ValidationError(_("Too many wrong codes in a row: wait a few seconds, then try again."))
        # int() reads ٠١٢ and ۰۱۲ as digits too; django-otp compares the token as a number.
        token = str(int(token)).zfill(len(token))
        for device in allowed:
            with transaction.atomic():
                # Locked, so that one code cannot be used twice by two requests at once (django-otp keeps the
                # time step of the last accepted code and refuses it and older ones).
                locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
                if locked.verify_token(token):
                    self.device = locked
                    return token
        raise forms.ValidationError(_("This code is wrong or has expired. Enter the code your app shows now."))


def second_factor_view(request):
    """The second step of a log-in: a code from the user's TOTP device; on success the session is marked
    verified (django-otp) and gets a new key."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("admin:index")
    user = request.user
    if user.is_verified() or not needs_second_factor(user):
        return HttpResponseRedirect(next_url)
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    form = SecondFactorForm(request.POST if request.method == "POST" else None, devices=devices)
    if devices and request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        request.session.cycle_key()
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
