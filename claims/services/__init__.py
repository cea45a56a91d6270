"""Write use cases. Views, admin actions, commands and tasks call these; nothing else saves domain rows."""

from .claims import (
    assign_claim,
    attach_source,
    change_verdict,
    create_claim,
    create_claim_from_statement,
    link_statement,
    merge_claims,
    publish_claim,
    transition_claim,
    update_claim,
)
from .flags import dismiss_flag, resolve_flag_with_link, resolve_flag_with_new_claim

__all__ = [
    "assign_claim",
    "attach_source",
    "change_verdict",
    "create_claim",
    "create_claim_from_statement",
    "dismiss_flag",
    "link_statement",
    "merge_claims",
    "publish_claim",
    "resolve_flag_with_link",
    "resolve_flag_with_new_claim",
    "transition_claim",
    "update_claim",
]
