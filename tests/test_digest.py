"""The email digest of open high-priority flags (Django's locmem outbox: real messages)."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from claims import services
from claims.models import Flag
from claims.services.digest import MAX_LISTED, send_flag_digest
from claims.services.ingestion import submit_text
from claims.tasks import send_flag_digest as digest_task
from tests.factories import ClaimFactory

from .test_flagging import ARTICLE, false_claim  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(editor, django_user_model):
    editor.email = "ed@news.example"
    editor.save()
    other = django_user_model.objects.create_user("ana", email="ana@news.example")
    other.groups.add(Group.objects.get(name="editor"))
    reader = django_user_model.objects.create_user("rita", email="rita@news.example")
    reader.groups.add(Group.objects.get(name="reader"))
    django_user_model.objects.create_user("gone", email="gone@news.example", is_active=False)
    return [editor, other]


@pytest.fixture
def repeat_flag(false_claim, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        submit_text(body=ARTICLE, title="Council", url="https://news.example/riverton")
    return Flag.objects.get(reason=Flag.Reason.REPEATS_FALSE_CLAIM)


def test_digest_lists_urgent_flags_for_active_editors_only(editors, repeat_flag, settings):
    settings.CLAIMDESK = {**settings.CLAIMDESK, "SITE_URL": "https://desk.news.example/"}
    digest = send_flag_digest()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["ana@news.example", "ed@news.example"]
    assert message.subject == "Claimdesk: 1 open flag needs an editor (1 urgent)"
    assert "[Urgent] Repeats a claim rated false" in message.body
    assert "Crime in Riverton has doubled since 2020" in message.body
    assert "Maria Lopez" in message.body
    assert "rated False" in message.body
    assert f"https://desk.news.example/desk/#flag-{repeat_flag.pk}" in message.body
    # Check-worthy and new-speaker flags are below the digest priority.
    assert Flag.objects.open().filter(priority__lt=Flag.Priority.HIGH).exists()
    assert digest.flags == 1


def test_no_digest_without_open_high_priority_flags(editors, repeat_flag):
    services.dismiss_flag(flag=repeat_flag, reason="Covered yesterday", by=editors[0])
    assert send_flag_digest() is None
    assert mail.outbox == []


def test_configured_recipients_and_priority(editors, repeat_flag, settings):
    settings.CLAIMDESK = {
        **settings.CLAIMDESK,
        "DIGEST_RECIPIENTS": ["desk@news.example"],
        "DIGEST_MIN_PRIORITY": Flag.Priority.LOW,
    }
    digest_task.delay()
    assert mail.outbox[0].to == ["desk@news.example"]
    assert mail.outbox[0].body.count("  resolve: ") == Flag.objects.open().count() > 1


def test_long_digest_is_capped(editors, repeat_flag):
    for _ in range(MAX_LISTED + 2):
        Flag.objects.create(claim=ClaimFactory(), reason=Flag.Reason.PROMISE_DUE, priority=30)
    send_flag_digest()
    body = mail.outbox[0].body
    assert body.count("  resolve: ") == MAX_LISTED
    assert f"… and {MAX_LISTED + 3 - MAX_LISTED} more at" in body


def test_command_dry_run_prints_and_sends_nothing(editors, repeat_flag, capsys):
    call_command("send_flag_digest", "--dry-run")
    out = capsys.readouterr().out
    assert "Subject: Claimdesk: 1 open flag needs an editor (1 urgent)" in out
    assert "To: ana@news.example, ed@news.example" in out
    assert mail.outbox == []
    call_command("send_flag_digest")
    assert "Sent 1 flag(s) to 2 recipient(s)." in capsys.readouterr().out
    assert len(mail.outbox) == 1
