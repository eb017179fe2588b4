"""Choosing a match threshold without labelled data.

Candidate pairs after blocking are a mixture of many non-matches (low Dice) and fewer
matches (high Dice). Otsu's method splits a histogram where the between-class variance is
largest; on raw counts the big non-match class drags the split into the match mode, so it
runs on log counts, and the split is then moved to the lowest point of the valley nearby.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._errors import HavenLinkError

DEFAULT_THRESHOLD = 0.8
"""Used when the score distribution is not bimodal enough to find a valley."""


def otsu_threshold(hist: npt.NDArray[np.floating] | npt.NDArray[np.integer]) -> float:
    """Otsu's split of a histogram over [0, 1]; returns the threshold in [0, 1]."""
    weights = np.asarray(hist, dtype=np.float64)
    bins = len(weights)
    if bins < 2 or weights.sum() <= 0:
        raise HavenLinkError("cannot choose a threshold from an empty score histogram")
    centres = (np.arange(bins) + 0.5) / bins
    w0 = np.cumsum(weights)
    w1 = w0[-1] - w0
    m0 = np.cumsum(weights * centres)
    mean0 = np.divide(m0, w0, out=np.zeros(bins), where=w0 > 0)
    mean1 = np.divide(m0[-1] - m0, w1, out=np.zeros(bins), where=w1 > 0)
    between = w0 * w1 * (mean0 - mean1) ** 2
    return float((int(np.argmax(between[:-1])) + 1) / bins)


def valley_threshold(hist: npt.NDArray[np.integer], *, search: float = 0.15) -> float:
    """Threshold at the valley between the non-match and the match modes of Dice scores."""
    counts = np.asarray(hist, dtype=np.float64)
    bins = len(counts)
    if counts.sum() <= 0:
        return DEFAULT_THRESHOLD
    logs = np.log1p(counts)
    split = otsu_threshold(logs)
    smooth = np.convolve(logs, np.ones(5) / 5, mode="same")
    lo = max(1, int((split - search) * bins))
    hi = min(bins - 1, int((split + search) * bins))
    # Lowest point; ties go to the higher score, which favours precision.
    window = smooth[lo:hi]
    if window.size == 0:
        return split
    best = lo + int(np.flatnonzero(window == window.min())[-1])
    return float(best / bins)


# Fewer assigned pairs than this make too coarse a histogram: the valley of all scores
# is used instead.
MIN_ASSIGNED = 200


def assigned_valley(
    scores: npt.NDArray[np.floating], floor: float, bins: int = 100
) -> float | None:
    """Threshold from the scores of the pairs a one-to-one assignment keeps above ``floor``.

    Each record keeps its best partner: a true match for records the other side holds,
    else the best of its non-matches. Those two groups make two modes (best non-matches
    just above the floor, matches high up), and the threshold is the deepest point of the
    smoothed counts between them, whichever mode is the larger. Unlike the valley of all
    scores, it does not sink as files grow and each record meets more non-matches. When
    nearly every record has a partner there is one mode, and the threshold is the lowest
    point below it: nothing is lost to precision, and recall is kept. None when the one
    mode is at the floor: then nothing tells matches apart here.
    """
    counts = np.histogram(scores, bins=bins, range=(0.0, 1.0))[0].astype(np.float64)
    start = min(bins - 1, max(0, int(np.ceil(floor * bins - 1e-9))))
    seg = np.convolve(counts, np.ones(5) / 5, mode="same")[start:]
    if seg.max() <= 0:
        return None
    # Depth of each point below the lower of the highest points on either side of it.
    left = np.maximum.accumulate(seg)
    right = np.maximum.accumulate(seg[::-1])[::-1]
    depth = np.minimum(left, right) - seg
    # A dip of under 1 % of the highest mode is noise, not a second mode.
    if depth.max() >= 0.01 * seg.max():
        deepest = np.flatnonzero(depth == depth.max())
        return float((start + int(deepest[len(deepest) // 2])) / bins)
    top = int(np.argmax(seg))
    if top == 0:
        return None
    return float((start + int(np.argmin(seg[:top]))) / bins)
