"""Column helpers for the generator: random draws and periodic events as numpy arrays, and the
Arrow columns the tables are made of (ids, coded labels, Y/N flags, dates, look-ups)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def draw(rng: np.random.Generator, n: int, knots) -> np.ndarray:
    """Whole numbers drawn from a piecewise-linear inverse CDF given as (p, value) knots."""
    p, v = zip(*knots, strict=True)
    return np.floor(np.interp(rng.random(n), p, v)).astype(np.int64)


def periodic(rng, start_k, stop_k, every: int, jitter: int):
    """Events from `start_k` every ~`every` working days up to `stop_k` (indexes, inclusive)."""
    span = stop_k - start_k
    n = np.where(span >= 0, span // every + 1, 0)
    idx = np.repeat(np.arange(n.size), n)
    j = np.arange(idx.size) - np.repeat(np.cumsum(n) - n, n)
    wobble = rng.integers(-jitter, jitter + 1, idx.size)
    k = start_k[idx] + j * every + np.where(j > 0, wobble, 0)
    keep = k <= stop_k[idx]
    return idx[keep], k[keep], j[keep]


def id_array(prefix: str, n: int, width: int = 7, first: int = 1) -> pa.Array:
    """`n` ids from `prefix` and the number `first` on, zero-padded to `width` digits."""
    num = pa.array(np.arange(first, first + n, dtype=np.int64)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(num, width=width, padding="0"), "")


def labelled(codes, labels, mask=None) -> pa.Array:
    """Strings `labels[codes]`, null where `mask` is true."""
    idx = pa.array(np.asarray(codes, dtype=np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(idx, pa.array(labels, pa.string())).dictionary_decode()


def yes_no(values, mask=None) -> pa.Array:
    return labelled(np.asarray(values, dtype=bool).astype(np.int32), ["N", "Y"], mask)


def pick(arr: pa.Array, idx, mask=None) -> pa.Array:
    """`arr[idx]`, null where `mask` is true (idx may be anything there)."""
    idx = np.asarray(idx, dtype=np.int64)
    if mask is not None:
        idx = np.where(mask, 0, idx)
    return arr.take(pa.array(idx, mask=mask))


def date_array(days, mask=None) -> pa.Array:
    return pa.array(np.asarray(days, dtype=np.int32), type=pa.int32(), mask=mask).cast(pa.date32())
