"""Reading a command's input file (or stdin) with errors a person can act on."""

import sys
from pathlib import Path

from django.core.management import CommandError


def read_text(source: str, *, what: str = "file") -> str:
    """Return the UTF-8 text of ``source`` ("-" for stdin), or raise a CommandError saying why."""
    try:
        if source == "-":
            text = sys.stdin.buffer.read().decode("utf-8-sig")
        else:
            # utf-8-sig: spreadsheet programs often start CSV files with a byte-order mark.
            text = Path(source).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"No such {what}: {source}") from None
    except IsADirectoryError:
        raise CommandError(f"{source} is a directory, not a {what}.") from None
    except UnicodeDecodeError as exc:
        raise CommandError(f"{source} is not UTF-8 (byte {exc.start}: {exc.reason}).") from None
    except OSError as exc:
        raise CommandError(f"Cannot read {source}: {exc.strerror or exc}") from None
    if not text.strip():
        raise CommandError(f"{'stdin' if source == '-' else source} is empty.")
    return text
