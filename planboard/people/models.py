"""Roles that lead actions and the people who hold them, from the plan's key.

Roles belong to a strategy because each plan has its own key of abbreviations
("EM", "Head of CG"); a person may be linked to a user account to see their actions.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.Model):
    """A role that can lead actions, such as "Engagement Manager (EM)"."""

    strategy = models.ForeignKey("plans.Strategy", on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=60, blank=True)
    aliases = models.JSONField(
        default=list, blank=True, help_text='Other ways the plan names this role, e.g. ["EMs"].'
    )
    in_key = models.BooleanField(
        default=True,
        help_text="Named in the plan's key of roles; leads the key does not name are not.",
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "-in_key", "title"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "title"], name="unique_role_title"),
        ]

    def __str__(self):
        if self.abbreviation and self.abbreviation != self.title:
            return f"{self.title} ({self.abbreviation})"
        return self.title

    @property
    def short_name(self) -> str:
        return self.abbreviation or self.title


class Person(models.Model):
    """Someone named in the plan's key, with the roles they hold."""

    strategy = models.ForeignKey("plans.Strategy", on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    roles = models.ManyToManyField(Role, related_name="people", blank=True)
    is_ebe_lead = models.BooleanField("Expert by Experience lead", default=False)
    note = models.CharField(max_length=200, blank=True, help_text='For example "co-chair SUSEG".')
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        help_text="The account this person signs in with.",
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[roles])

    class Meta:
        verbose_name_plural = "people"
        ordering = ["strategy", "name"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="unique_person_name"),
        ]

    def __str__(self):
        return self.name


class SignInIdentity(models.Model):
    """An account's identity at the single sign-on provider: the provider's stable subject.

    ``issuer`` and ``subject`` are the ID token's ``iss`` and ``sub``; for Microsoft Entra
    ID, whose ``sub`` differs from one application to another, they are the tenant
    (``tid``, kept as ``"tenant:<tid>"``) and the person's object id (``oid``). Nothing
    else identifies someone signing in again: not their name, not their e-mail.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    email = models.CharField(
        max_length=254, blank=True, help_text="The e-mail the provider last gave for it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "sign-in identity"
        verbose_name_plural = "sign-in identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_sign_in_identity"),
        ]

    def __str__(self):
        return f"{self.subject} at {self.issuer}"
