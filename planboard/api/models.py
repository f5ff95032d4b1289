"""Personal access tokens for the API.

A token belongs to one account and has at most that account's rights, narrowed by its
scope: ``read`` reads, ``write`` also gives and reviews updates. Only a digest of the
secret is kept (SHA-256: the secret is 256 random bits, so a slow hash adds nothing);
the secret is shown once, when the token is made. The first characters of the secret
(``prefix``) are kept in clear so that its owner can tell tokens apart.
"""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    scope = models.CharField(max_length=5, choices=Scope.choices)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_from = models.GenericIPAddressField(null=True, blank=True)
    # The requests counted in the current clock minute, for the per-token limit
    # (planboard/api/throttle.py): kept on the row so every worker counts the same.
    minute = models.DateTimeField(null=True, blank=True, editable=False)
    requests_this_minute = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def writes(self) -> bool:
        return self.scope == self.Scope.WRITE
