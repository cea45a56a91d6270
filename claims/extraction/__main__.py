"""Command line: ``python -m claims.extraction FILE [FILE ...]`` (``-`` reads standard input).

Output (a stable interface checked by outside scripts):

* one input: a JSON array of statements;
* several inputs: one line per input, ``{"file": <path as given>, "statements": [...]}``.

Files are read as UTF-8 with newlines untouched (``newline=""``), so offsets count characters
of the text exactly as stored, ``\\r\\n`` included. A file that cannot be read or decoded is
reported on stderr (``claims.extraction: FILE: reason``); with several inputs it gets a line
``{"file": ..., "statements": [], "error": "..."}`` so line counts still match the inputs. The
exit status is 0 when every file was processed, 1 when some failed, 2 when all failed or the
command line was wrong. No traceback is ever printed for bad input.
"""

from __future__ import annotations

import json
import sys

from .extractor import extract

USAGE = "usage: python -m claims.extraction FILE [FILE ...]   (use - for standard input)"


def _read(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read()
        return data.decode("utf-8")
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.start})"
    if isinstance(exc, OSError):
        return exc.strerror or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {exc}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not args else sys.stdout)
        return 2 if not args else 0
    out = sys.stdout
    failures = 0
    for path in args:
        error = None
        statements: list[dict] = []
        try:
            text = _read(path)
            if "\x00" in text:
                raise ValueError("binary data (NUL bytes)")
            statements = [s.to_dict() for s in extract(text)]
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            error = _describe(exc)
        except Exception as exc:  # never a traceback: report and go on with the next file
            error = f"internal error: {_describe(exc)}"
        if error:
            failures += 1
            print(f"claims.extraction: {path}: {error}", file=sys.stderr)
        if len(args) == 1:
            if error is None:
                json.dump(statements, out, ensure_ascii=False)
                out.write("\n")
        else:
            line = {"file": path, "statements": statements}
            if error:
                line["error"] = error
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    out.flush()
    if failures == 0:
        return 0
    return 2 if failures == len(args) else 1


def _one_blas_thread() -> None:
    """The tagger's matrix products are small: numpy's BLAS threads (one per core) only add
    overhead, twice the CPU time for the same wall time on an idle machine and much slower on a
    busy one. The Celery worker sets the same limit (config/celery.py); without threadpoolctl
    (the extractor itself needs only numpy) BLAS keeps its default."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=1, user_api="blas")


if __name__ == "__main__":
    _one_blas_thread()
    raise SystemExit(main())
