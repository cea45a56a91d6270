"""Email the open high-priority flags to the editors (what the scheduled digest sends)."""

from django.core.management.base import BaseCommand

from claims.services.digest import build_digest, send_flag_digest


class Command(BaseCommand):
    help = "Email the digest of open high-priority flags to editors and admins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the digest instead of sending it"
        )

    def handle(self, *args, dry_run: bool, **options):
        digest = build_digest() if dry_run else send_flag_digest()
        if digest is None:
            self.stdout.write("No open high-priority flags, or no editor with an email address.")
            return
        if dry_run:
            self.stdout.write(f"To: {', '.join(digest.recipients)}\nSubject: {digest.subject}\n")
            self.stdout.write(digest.body)
        else:
            self.stdout.write(
                f"Sent {digest.flags} flag(s) to {len(digest.recipients)} recipient(s)."
            )
