"""Statement extraction: plain text in, attributed statements out (no Django, stdlib only).

>>> from claims.extraction import extract
>>> [s.speaker for s in extract('"We are trying to restore ties," said Vladimir Putin.')]
['Vladimir Putin']
"""

from .extractor import extract
from .statement import PRODUCT_KEYS, Statement

__all__ = ["PRODUCT_KEYS", "Statement", "extract"]
