"""The Claimdesk domain: articles and speakers in, statements out, claims tracked and rated."""

from .articles import Article, Feed, Outlet
from .claims import Claim, ClaimStatement, ClaimTerms, Topic
from .flags import Flag, FlagSuggestion
from .ratings import Rating, RatingScale
from .sources import ClaimSource, Source
from .speakers import Speaker, SpeakerRole
from .statements import Statement
from .webhooks import Webhook, WebhookDelivery

__all__ = [
    "Article",
    "Claim",
    "ClaimSource",
    "ClaimStatement",
    "ClaimTerms",
    "Feed",
    "Flag",
    "FlagSuggestion",
    "Outlet",
    "Rating",
    "RatingScale",
    "Source",
    "Speaker",
    "SpeakerRole",
    "Statement",
    "Topic",
    "Webhook",
    "WebhookDelivery",
]
