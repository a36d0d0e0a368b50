from django.contrib.auth.backends import ModelBackend

from apps.core.validators import normalise_phone


def axes_username(request, credentials: dict | None) -> str | None:
    """The name django-axes counts failures under: a phone in its one normal spelling, so every
    way of typing it shares one counter; any other username as typed."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        data = getattr(request, "POST", None) or {}
        username = data.get(field) or data.get(f"p-{field}")
    if not username:
        return username
    phone = normalise_phone(username)
    return phone if len(phone) == 11 and phone.isdigit() else username


class PhonePasswordBackend(ModelBackend):
    """A member signs in with their phone number and the password they set."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from apps.members.models import Member

        phone = normalise_phone(username or "")
        if len(phone) != 11 or not phone.isdigit() or not password:
            return None
        member = Member.objects.select_related("user").filter(phone=phone, user__isnull=False).first()
        if member is None:
            return None
        user = member.user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
