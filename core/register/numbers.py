"""Vectorised comparisons of parcel/sheet numbers: how one number could be a typo of another.

Used to tell a mistyped number (12 -> 21, 123 -> 128, 45 -> 415) from an unrelated one,
without a Python loop over the candidate pairs.
"""
import numpy as np

from ..i18n import PHRASES, QT_TRANSLATE_NOOP

NONE, SUBSTITUTION, TRANSPOSITION, INSERTION = 0, 1, 2, 3
# QT_TRANSLATE_NOOP: shown to users through i18n.phrase
EDIT_NAMES = {SUBSTITUTION: QT_TRANSLATE_NOOP(PHRASES, "one digit differs"),
              TRANSPOSITION: QT_TRANSLATE_NOOP(PHRASES, "two digits swapped"),
              INSERTION: QT_TRANSLATE_NOOP(PHRASES, "a digit added or dropped")}

_WIDTH = 16


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Strings -> (n × _WIDTH int32 code points, zero-padded; lengths)."""
    arr = np.asarray(values, dtype=f"<U{_WIDTH}")
    lengths = np.char.str_len(arr)
    return arr.view(np.int32).reshape(len(arr), _WIDTH), lengths


def edit_relation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair, the single edit turning a into b: SUBSTITUTION, TRANSPOSITION, INSERTION or NONE.

    Equal strings and pairs more than one edit apart give NONE.
    """
    n = len(a)
    out = np.zeros(n, dtype=np.int8)
    if n == 0:
        return out
    ca, la = _codes(a)
    cb, lb = _codes(b)
    same_len = la == lb
    diff = ca != cb
    ndiff = diff.sum(axis=1)
    out[same_len & (ndiff == 1)] = SUBSTITUTION
    # Transposition: exactly two adjacent positions differ and are each other's characters.
    two = np.flatnonzero(same_len & (ndiff == 2))
    if len(two):
        first = diff[two].argmax(axis=1)
        second = np.minimum(first + 1, _WIDTH - 1)
        rows = two
        ok = (diff[rows, second]
              & (ca[rows, first] == cb[rows, second]) & (ca[rows, second] == cb[rows, first]))
        out[rows[ok]] = TRANSPOSITION
    # Insertion/deletion: lengths differ by one and the longer minus one char is the shorter.
    one = np.flatnonzero(np.abs(la.astype(int) - lb.astype(int)) == 1)
    if len(one):
        longer = np.where((la[one] > lb[one])[:, None], ca[one], cb[one])
        shorter = np.where((la[one] > lb[one])[:, None], cb[one], ca[one])
        short_len = np.minimum(la[one], lb[one])
        # common prefix length
        neq = longer != shorter
        prefix = np.where(neq.any(axis=1), neq.argmax(axis=1), _WIDTH)
        # the shorter shifted right by one must equal the longer after the prefix
        shifted = np.zeros_like(shorter)
        shifted[:, 1:] = shorter[:, :-1]
        pos = np.arange(_WIDTH)[None, :]
        after = pos > prefix[:, None]
        inside = pos <= short_len[:, None]
        tail_ok = ~(after & inside & (longer != shifted)).any(axis=1)
        ok = (prefix <= short_len) & tail_ok
        out[one[ok]] = INSERTION
    return out
