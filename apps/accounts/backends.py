from django.contrib.auth.backends import ModelBackend

from apps.core.validators import normalise_phone


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
