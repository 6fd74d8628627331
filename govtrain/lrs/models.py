"""The Learning Record Store's tables: clients, statements, their index rows, documents.

Each statement's JSON is stored once, as compact text. The standard query filters read
narrow indexed columns: 64-bit hashes of the actor's identifier, the verb and the object
activity (8 bytes each instead of IRIs of 40-200 characters, so that the indexes of 10
million statements stay small), the registration and the stored time. Agents and
activities anywhere else in a statement (context, sub-statement, group members, authority)
go to a narrow side table for the `related_agents` / `related_activities` filters, which
read both. Ingestion pays for every index entry, mostly in pages of the hash-keyed ones
that each statement lands on at random, so nothing is indexed twice (docs/xapi.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import TimeStampedModel


class Client(TimeStampedModel):
    """Another system that reaches the LRS over HTTP Basic with its own key and secret."""

    class Scope(models.TextChoices):
        # The scopes of the xAPI specification's OAuth section, used for Basic clients too.
        STATEMENTS_WRITE = "statements/write", _("Write statements")
        STATEMENTS_READ_MINE = "statements/read/mine", _("Read its own statements")
        STATEMENTS_READ = "statements/read", _("Read all statements")
        STATE = "state", _("Read and write state documents")
        DEFINE = "define", _("Read and write activity and agent profiles")
        ALL_READ = "all/read", _("Read everything")
        ALL = "all", _("Everything")

    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("key"), max_length=40, unique=True)
    # SHA-256 of the secret: the secret is 32 random bytes, so a fast hash is safe and keeps
    # every request's authentication cheap (a password hasher would cost ~100 ms each).
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("xAPI client")
        verbose_name_plural = _("xAPI clients")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Statement(models.Model):
    """One stored statement. `seq` orders inserts; `statement_id` is the xAPI id."""

    seq = models.BigAutoField(primary_key=True)
    statement_id = models.UUIDField(unique=True)
    actor_hash = models.BigIntegerField()
    verb_hash = models.BigIntegerField()
    # The object when it is an Activity; an Agent or Group object goes in object_agent_hash.
    activity_hash = models.BigIntegerField(null=True)
    object_agent_hash = models.BigIntegerField(null=True)
    # The statement this one voids or references (object of objectType StatementRef).
    ref_id = models.UUIDField(null=True)
    registration = models.UUIDField(null=True)
    stored = models.DateTimeField()
    voided = models.BooleanField(default=False)
    # None when the platform itself recorded the statement. No index of its own: the
    # (client, stored, seq) index below serves both the scope and the foreign key.
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    body = models.TextField()

    class Meta:
        indexes = [
            # Every filter reads newest first and pages on (stored, seq).
            models.Index(fields=["stored", "seq"], name="lrs_stmt_stored"),
            models.Index(fields=["actor_hash", "stored", "seq"], name="lrs_stmt_actor"),
            models.Index(fields=["verb_hash", "stored", "seq"], name="lrs_stmt_verb"),
            models.Index(fields=["activity_hash", "stored", "seq"], name="lrs_stmt_activity"),
            models.Index(
                fields=["registration", "stored", "seq"],
                name="lrs_stmt_registration",
                condition=models.Q(registration__isnull=False),
            ),
            models.Index(
                fields=["client", "stored", "seq"],
                name="lrs_stmt_client",
                condition=models.Q(client__isnull=False),
            ),
            models.Index(
                fields=["object_agent_hash"],
                name="lrs_stmt_object_agent",
                condition=models.Q(object_agent_hash__isnull=False),
            ),
            models.Index(
                fields=["ref_id"], name="lrs_stmt_ref", condition=models.Q(ref_id__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class StatementLink(models.Model):
    """An agent or activity of a statement other than its actor and object (those are the
    statement's own indexed columns), for the `related_*` filters."""

    class Kind(models.IntegerChoices):
        AGENT = 1
        ACTIVITY = 2

    # No primary-key column of its own would be cheaper still, but Django needs one.
    id = models.BigAutoField(primary_key=True)
    # Not indexed: statements are never deleted (xAPI voids them instead), so nothing
    # looks links up by statement.
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="links", db_index=False
    )
    kind = models.SmallIntegerField(choices=Kind.choices)
    key_hash = models.BigIntegerField()
    # The statement's stored time again, so that a related filter reads its page in order
    # from this table's index instead of sorting every statement that mentions the key.
    stored = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "key_hash", "stored", "statement"], name="lrs_link_key"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}:{self.kind}:{self.key_hash}"


class Activity(TimeStampedModel):
    """The canonical definition of an activity, as the `define`-scoped clients last gave it."""

    # SHA-256 of the IRI: a unique index on IRIs up to 2048 characters would exceed
    # PostgreSQL's limit for an index row.
    key = models.CharField(max_length=64, unique=True)
    activity_id = models.TextField()
    definition = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.activity_id


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document (xAPI part three, 2.3-2.5)."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        ACTIVITY_PROFILE = "activity_profile", _("Activity profile")
        AGENT_PROFILE = "agent_profile", _("Agent profile")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # SHA-256 of (kind, activity, agent, registration): the set a GET without an id lists.
    scope_key = models.CharField(max_length=64, db_index=True)
    # SHA-256 of the scope and the document's id: the document's identity.
    doc_key = models.CharField(max_length=64, unique=True)
    doc_id = models.TextField()
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind}:{self.doc_id}"
