import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims import services
from claims.models import Claim, Flag, Statement, Webhook, WebhookDelivery
from claims.services.delivery import SIGNATURE_HEADER, deliver
from claims.services.flagging import flag_article_statements, flag_due_promises
from claims.services.ingestion import submit_text
from tests.factories import ClaimFactory, StatementFactory, rating

pytestmark = pytest.mark.django_db

ARTICLE = (
    "RIVERTON — The council met on Tuesday.\n\n"
    '"Crime in Riverton has doubled since 2020," Mayor Maria Lopez said at the meeting.\n\n'
    '"Thank you all for coming," she said.'
)


@pytest.fixture
def false_claim(editor):
    claim = services.create_claim(text="Crime in Riverton has doubled since 2020", by=editor)
    services.change_verdict(
        claim=claim, rating=rating("false"), explanation="Police data", by=editor
    )
    return services.publish_claim(claim=claim, by=editor)


def _ingest(django_capture_on_commit_callbacks, body=ARTICLE):
    with django_capture_on_commit_callbacks(execute=True):
        return submit_text(body=body, title="Council", url="https://news.example/riverton").article


def test_repeat_of_false_claim_is_flagged_with_highest_priority(
    false_claim, django_capture_on_commit_callbacks
):
    article = _ingest(django_capture_on_commit_callbacks)
    flag = Flag.objects.get(reason=Flag.Reason.REPEATS_FALSE_CLAIM)
    assert flag.priority == Flag.Priority.URGENT
    assert flag.claim == false_claim
    assert flag.statement.article == article
    assert "doubled since 2020" in flag.statement.text
    suggestion = flag.suggestions.get(rank=1)
    assert suggestion.claim == false_claim
    assert suggestion.similarity >= 0.5
    assert Flag.objects.open().by_priority().first() == flag


def test_flagging_twice_opens_no_duplicate_flags(false_claim, django_capture_on_commit_callbacks):
    article = _ingest(django_capture_on_commit_callbacks)
    before = Flag.objects.count()
    Statement.objects.filter(article=article).update(check_worthiness=None)
    flag_article_statements(article_id=article.pk)
    assert Flag.objects.count() == before


def test_pleasantries_are_not_flagged_check_worthy(django_capture_on_commit_callbacks):
    article = _ingest(django_capture_on_commit_callbacks)
    thanks = article.statements.get(text__startswith="Thank you")
    assert not thanks.flags.filter(reason=Flag.Reason.CHECK_WORTHY).exists()
    assert thanks.check_worthiness < 0.5


def test_statements_get_scores_and_types(django_capture_on_commit_callbacks):
    article = _ingest(django_capture_on_commit_callbacks)
    crime = article.statements.get(text__startswith="Crime")
    assert 0.5 <= crime.check_worthiness <= 1
    assert crime.type_guess == "factual"
    assert crime.review_state == Statement.ReviewState.FLAGGED


def test_due_promises_are_flagged_once():
    due = ClaimFactory(
        claim_type=Claim.Type.PROMISE, due_date=timezone.localdate() - timedelta(days=1)
    )
    ClaimFactory(claim_type=Claim.Type.PROMISE, due_date=timezone.localdate() + timedelta(days=30))
    assert [f.claim for f in flag_due_promises()] == [due]
    assert flag_due_promises() == []
    assert Flag.objects.get().reason == Flag.Reason.PROMISE_DUE


def test_resolve_flag_by_linking_records_history(editor):
    statement, claim = StatementFactory(), ClaimFactory()
    flag = Flag.objects.create(statement=statement, reason=Flag.Reason.REPEATS_CLAIM, claim=claim)
    sibling = Flag.objects.create(statement=statement, reason=Flag.Reason.CHECK_WORTHY)
    link = services.resolve_flag_with_link(
        flag=flag, claim=claim, relation="repeats", fidelity="paraphrase", by=editor
    )
    flag.refresh_from_db()
    sibling.refresh_from_db()
    assert (link.relation, link.fidelity) == ("repeats", "paraphrase")
    assert (flag.state, flag.resolution, flag.resolver) == ("resolved", "linked", editor)
    assert sibling.state == "resolved"
    assert flag.history.latest().history_user == editor


def test_resolve_flag_with_new_claim(editor):
    flag = Flag.objects.create(statement=StatementFactory(), reason=Flag.Reason.CHECK_WORTHY)
    claim = services.resolve_flag_with_new_claim(
        flag=flag, by=editor, text="Syria will honour past agreements"
    )
    flag.refresh_from_db()
    assert flag.resolution == Flag.Resolution.CREATED_CLAIM
    assert claim.statement_links.get().statement == flag.statement


def test_dismiss_needs_a_reason_and_closes_the_statement(editor):
    flag = Flag.objects.create(statement=StatementFactory(), reason=Flag.Reason.CHECK_WORTHY)
    with pytest.raises(ValidationError):
        services.dismiss_flag(flag=flag, reason="  ", by=editor)
    services.dismiss_flag(flag=flag, reason="Opinion, not checkable", by=editor)
    flag.refresh_from_db()
    assert (flag.state, flag.resolution_note) == ("dismissed", "Opinion, not checkable")
    assert flag.statement.review_state == Statement.ReviewState.DISMISSED
    with pytest.raises(ValidationError, match="already"):
        services.dismiss_flag(flag=flag, reason="again", by=editor)


class _Receiver(BaseHTTPRequestHandler):
    statuses: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        status = self.statuses.pop(0) if self.statuses else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    settings.CLAIMDESK = {
        **settings.CLAIMDESK,
        "FETCH_ALLOWED_NETWORKS": ["127.0.0.1/32"],
        "FETCH_ANY_PORT": True,
    }
    _Receiver.statuses, _Receiver.received = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Receiver
    server.shutdown()


def test_flagged_statement_webhook_is_signed_and_delivered(
    receiver, false_claim, django_capture_on_commit_callbacks
):
    url, handler = receiver
    hook = Webhook.objects.create(url=url, events=["statement.flagged"], secret="s3cret")
    _ingest(django_capture_on_commit_callbacks)
    deliveries = WebhookDelivery.objects.filter(webhook=hook)
    assert deliveries.exists()
    assert all(d.state == "delivered" for d in deliveries)
    headers, body = handler.received[0]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == expected
    payload = json.loads(body)
    assert payload["event"] == "statement.flagged"
    assert {p["data"]["reason"] for p in (json.loads(b) for _, b in handler.received)} >= {
        "repeats_false"
    }


def test_webhook_retries_server_errors_then_logs_failure(receiver):
    url, handler = receiver
    handler.statuses = [500, 500]
    hook = Webhook.objects.create(url=url, events=["claim.published"])
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="claim.published", payload={"x": 1}
    )
    assert deliver(delivery_id=delivery.pk, attempt=1, final=False) is not None
    delivery.refresh_from_db()
    assert (delivery.state, delivery.response_status) == ("pending", 500)
    assert deliver(delivery_id=delivery.pk, attempt=2, final=True) is None
    delivery.refresh_from_db()
    assert delivery.state == "failed"
    assert "500" in delivery.error


def test_webhook_to_private_address_is_refused_without_retry(settings):
    hook = Webhook.objects.create(url="http://10.0.0.5/hook", events=["claim.published"])
    delivery = WebhookDelivery.objects.create(webhook=hook, event="claim.published", payload={})
    assert deliver(delivery_id=delivery.pk, attempt=1, final=False) is None
    delivery.refresh_from_db()
    assert delivery.state == "failed"
    assert "private" in delivery.error


def test_publishing_and_verdict_change_emit_events(
    receiver, editor, django_capture_on_commit_callbacks
):
    url, handler = receiver
    Webhook.objects.create(url=url, events=["claim.published", "claim.verdict_changed"])
    claim = ClaimFactory(rating=rating("half-true"))
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_claim(claim=claim, by=editor)
        services.change_verdict(
            claim=claim, rating=rating("false"), explanation="New data", by=editor
        )
    events = [json.loads(body)["event"] for _, body in handler.received]
    assert events == ["claim.published", "claim.verdict_changed"]
    assert json.loads(handler.received[1][1])["previous"] == "Half true"


def test_a_denial_of_a_false_claim_is_flagged_as_disputing_it_not_urgent(
    false_claim, editor, django_capture_on_commit_callbacks
):
    body = (
        "RIVERTON — The debate went on.\n\n"
        '"Crime in Riverton has not doubled since 2020," Chief Ana Ruiz said on Friday.'
    )
    _ingest(django_capture_on_commit_callbacks, body=body)
    assert not Flag.objects.filter(reason=Flag.Reason.REPEATS_FALSE_CLAIM).exists()
    flag = Flag.objects.get(reason=Flag.Reason.DISPUTES_CLAIM)
    assert flag.priority == Flag.Priority.HIGH
    assert flag.claim == false_claim
    link = services.resolve_flag_with_link(flag=flag, claim=false_claim, by=editor)
    assert link.relation == "denies"
