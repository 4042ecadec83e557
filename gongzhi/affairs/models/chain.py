"""The ballot chain: every recorded cast (BallotChange) of a vote, sealed in order with a hash of the one
before, so a vote's history can be verified and replayed (gongzhi.affairs.chain)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.affairs.models.votes import BallotChange, Vote


class BallotSeal(models.Model):
    """Link `seq` of a vote's chain: the change it seals, the previous link's digest, and its own."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField()
    change = models.OneToOneField(BallotChange, on_delete=models.RESTRICT, related_name="seal")
    prev = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("表决记录链")
        verbose_name_plural = _("表决记录链")
        constraints = [
            # Two casts can never take the same place in the chain, even without the vote lock.
            models.UniqueConstraint(fields=["vote", "seq"], name="ballot_seal_one_per_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}#{self.seq} {self.digest[:12]}"
