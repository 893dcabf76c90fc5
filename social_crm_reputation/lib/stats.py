"""Statistics behind reputation scores, alerts and representativeness (standard library only).

Every function is pure: numbers in, numbers out, so the models can feed it from one SQL
aggregate and the tests can check it against values computed by hand.
"""
import math

Z_95 = 1.959964
"""Two-sided 95 % normal quantile."""
MIN_POISSON_RATE = 0.01
"""Floor of the Poisson baseline rate (mentions a day): below 1/28, the smallest non-zero mean of
a 28-day window, so it never alters a real baseline, yet keeps the tail defined for a silent one."""
MIN_PRIOR_WEIGHT = 1.0
MAX_PRIOR_WEIGHT = 20.0
"""Bounds of ``estimate_prior_weight``, in units of weight (one fresh mention at full weight = 1)."""


def wilson_interval(successes, n, z=Z_95):
    """Wilson score interval ``(low, high)`` of a proportion ``successes / n``.

    With p = successes/n: centre = (p + z²/2n) / (1 + z²/n) and
    half-width = z·√(p(1-p)/n + z²/4n²) / (1 + z²/n). Unlike p ± z·√(p(1-p)/n) it stays inside
    0..1 and does not shrink to a point at 0/n or n/n, which matters for small samples. Its
    bounds are exactly 0 at 0/n and 1 at n/n; n = 0 gives (0.0, 1.0): nothing is known.
    """
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be within 0..n, got {successes}/{n}")
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half_width = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else centre - half_width  # exact bounds, free of rounding error
    high = 1.0 if successes == n else centre + half_width
    return low, high


def net_sentiment_interval(positive, neutral, negative, z=Z_95):
    """Interval ``(low, high)`` of the net sentiment (positive - negative) / scored, from -1 to 1.

    Scoring each mention 1 (positive), ½ (neutral) or 0 (negative), their mean q = (positive +
    neutral/2) / scored gives net sentiment = 2q - 1: the interval is the Wilson interval of q
    mapped back to -1..1. Scores within 0..1 with mean q have at most the variance q(1 - q) of a
    proportion (Y² <= Y), so the interval is never narrower than the evidence allows: a few
    mentions are never shown as more certain than they are. No mention: (-1.0, 1.0).
    """
    low, high = wilson_interval(positive + neutral / 2, positive + neutral + negative, z)
    return 2 * low - 1, 2 * high - 1


def poisson_tail(k, mean):
    """P(X >= k) for X ~ Poisson(mean > 0), with P(X = i) = e^-mean · mean^i / i!.

    Terms are computed in log space (``lgamma``) so large counts do not overflow. Above the
    mean the tail is summed directly (exact even when tiny); at or below it, as 1 - P(X <= k-1).
    """
    if k <= 0:
        return 1.0
    if k > mean:
        return min(1.0, _sum_terms_upwards(k, mean))
    return max(0.0, 1.0 - _sum_terms_downwards(k - 1, mean))


def _poisson_term(i, mean):
    return math.exp(-mean + i * math.log(mean) - math.lgamma(i + 1))


def _sum_terms_upwards(k, mean):
    """Σ P(X = i) for i >= k > mean, where each term is smaller than the last: stop when negligible."""
    term = total = _poisson_term(k, mean)
    i = k
    while term > total * 1e-17:
        i += 1
        term *= mean / i
        total += term
    return total


def _sum_terms_downwards(k, mean):
    """Σ P(X = i) for i = k..0, k <= mean, where each term is smaller than the last: stop when negligible."""
    term = total = _poisson_term(k, mean)
    i = k
    while i > 0 and term > total * 1e-17:
        term *= i / mean
        i -= 1
        total += term
    return total


def _mean(values):
    return sum(values) / len(values) if values else 0.0


def poisson_spike(today_count, baseline_counts, threshold_p=0.01, min_count=3):
    """Whether today's count is a spike against a Poisson baseline: ``(is_spike, expected, p_value)``.

    ``baseline_counts`` are the daily counts of the previous days (28 by convention);
    expected = their mean, floored at ``MIN_POISSON_RATE``; p_value = P(X >= today | Poisson(expected)).
    A spike needs p_value < ``threshold_p`` and today >= ``min_count``, so one or two mentions
    after a silent month raise nothing.
    """
    expected = max(_mean(baseline_counts), MIN_POISSON_RATE)
    p_value = poisson_tail(today_count, expected)
    return today_count >= min_count and p_value < threshold_p, expected, p_value


def zscore_spike(today, baseline, threshold=3.0, min_std=1.0):
    """Whether ``today`` is a spike against ``baseline``: ``(is_spike, mean, z)``.

    z = (today - mean) / max(std, ``min_std``), std being the sample standard deviation
    (n - 1) of the baseline. The floor (in the baseline's unit, one mention a day by default)
    keeps a flat baseline from turning any change into an infinite z. Spike when z >= threshold.
    """
    mean = _mean(baseline)
    n = len(baseline)
    variance = sum((x - mean) ** 2 for x in baseline) / (n - 1) if n > 1 else 0.0
    z = (today - mean) / max(math.sqrt(variance), min_std)
    return z >= threshold, mean, z


def decay_weight(age_days, half_life_days):
    """Weight of an observation ``age_days`` old: 0.5 ** (age / half_life); future ages count as 0."""
    if half_life_days <= 0:
        raise ValueError(f"half_life_days must be positive, got {half_life_days}")
    return 0.5 ** (max(age_days, 0) / half_life_days)


def shrunk_score(weighted_sum, weight_total, prior_mean, prior_weight):
    """Mean sentiment shrunk towards the population: (Σw·s + μ₀·k) / (Σw + k).

    ``weighted_sum`` = Σw·s and ``weight_total`` = Σw over a partner's mentions, μ₀ =
    ``prior_mean`` and k = ``prior_weight``: the population mean counts as k pseudo-mentions, so
    a partner with little evidence stays near it and one with much evidence keeps its own mean.
    With no weight at all the result is the prior mean.
    """
    denominator = weight_total + prior_weight
    if denominator <= 0:
        return prior_mean
    return (weighted_sum + prior_mean * prior_weight) / denominator


def to_reputation(mean_sentiment):
    """Map a mean sentiment in -1..1 to a 0..100 reputation: 50·(mean + 1), clamped; 50 is neutral."""
    return min(100.0, max(0.0, 50.0 * (mean_sentiment + 1.0)))


def estimate_prior_weight(means, weights, within_variance=None):
    """Prior weight k for ``shrunk_score``, estimated from all partners by the method of moments.

    Model: partner i's true sentiment θᵢ varies around μ with between-partner variance τ²; its
    observed mean mᵢ (total weight wᵢ) adds noise of variance σ²/wᵢ, σ² being the within-partner
    variance of one mention. The Bayes estimate of θᵢ is then ``shrunk_score`` with k = σ²/τ².
    With μ̂ = Σwᵢmᵢ/W (W = Σwᵢ) and Q = Σwᵢ(mᵢ - μ̂)², E[Q] = (n-1)σ² + τ²(W - Σwᵢ²/W)
    (DerSimonian-Laird), hence τ̂² = max(0, (Q - (n-1)σ²) / (W - Σwᵢ²/W)).

    ``within_variance`` is σ² (e.g. the weighted variance of mention scores around their
    partner's mean). Means alone cannot separate σ² from τ², so when it is not given the
    Bhatia-Davis bound 1 - μ̂² is used: the largest variance a score in -1..1 with mean μ̂ can
    have. It errs towards more shrinkage, the safe side for "one mention is never certainty".

    k is clamped to [``MIN_PRIOR_WEIGHT``, ``MAX_PRIOR_WEIGHT``]. The floor (1) keeps at least one
    pseudo-mention of the population even when partners differ widely, so a single mention is
    never shown as certain. The ceiling (20) applies when partners look alike (τ̂² near 0, few
    partners, no weight): k would tend to infinity and flatten every score to the population
    mean; capped, a partner with 20 mentions of evidence still moves halfway to its own mean.
    """
    pairs = [(m, w) for m, w in zip(means, weights, strict=True) if w > 0]
    total = sum(w for _m, w in pairs)
    weight_spread = total - sum(w * w for _m, w in pairs) / total if total else 0.0  # W - Σwᵢ²/W
    if len(pairs) < 2 or weight_spread <= 0:
        return MAX_PRIOR_WEIGHT
    mean = sum(m * w for m, w in pairs) / total
    sigma2 = (1.0 - mean * mean) if within_variance is None else within_variance
    q = sum(w * (m - mean) ** 2 for m, w in pairs)
    tau2 = max(0.0, (q - (len(pairs) - 1) * sigma2) / weight_spread)
    if tau2 == 0:
        return MAX_PRIOR_WEIGHT
    return min(MAX_PRIOR_WEIGHT, max(MIN_PRIOR_WEIGHT, sigma2 / tau2))


def anecdotal(distinct_customers, share_of_base, min_customers=30, min_share=0.05):
    """Whether a figure rests on too few customers to stand for the customer base.

    Representative only when it rests on at least ``min_customers`` distinct customers (below
    about 30 a proportion's confidence interval is too wide to act on) and on at least
    ``min_share`` (a fraction, 0.05 = 5 %) of the active customer base (a loud minority is not
    the base). Anecdotal otherwise.
    """
    return distinct_customers < min_customers or share_of_base < min_share
