"""What people talk about: key phrases of mentions, and the terms that changed between two periods.

Key phrases come from YAKE (Campos et al., 2020), an unsupervised extractor that needs no model,
no corpus and no service: it runs here, on each text alone, with the stop words of the text's
language. The terms that changed are ranked by the weighted log-odds ratio with an informative
Dirichlet prior of Monroe, Colaresi & Quinn, "Fightin' Words" (Political Analysis, 2008), which
neither favours rare terms (as a plain ratio of frequencies does) nor frequent ones (as a
difference of frequencies does).

Pure functions: the models feed them texts and counts. Texts are cleaned as the sentiment engine
cleans them (:func:`~.sentiment.prepare_text`).
"""
import math
import re
from dataclasses import dataclass

import yake

from .sentiment import prepare_text

SEPARATOR = "|"  # between the key phrases of a mention, as stored
MAX_PHRASES = 5
MAX_WORDS = 2
ALPHA_0 = 1000.0  # the most the prior weighs, in term occurrences
Z_SIGNIFICANT = 1.96

_WORD = re.compile(r"\w", re.UNICODE)


def normalize_phrase(phrase):
    """A key phrase as it is counted: lower-case, inner spaces collapsed, without the separator."""
    return " ".join(phrase.replace(SEPARATOR, " ").split()).lower().strip(" '\".,;:!?()[]")


class PhraseExtractor:
    """Key phrases of texts, one YAKE extractor per language for the extractor's life (a batch).

    ``ignored``: words left out of every phrase (the brand's: it is in most mentions and says
    nothing of what they are about; "acme battery" counts as "battery").
    """

    def __init__(self, ignored=(), max_phrases=MAX_PHRASES, max_words=MAX_WORDS):
        self.ignored = {word for phrase in ignored if phrase for word in normalize_phrase(phrase).split()}
        self.max_phrases = max_phrases
        self.max_words = max_words
        self._extractors = {}

    def _extractor(self, lang):
        key = (lang or "en")[:2].lower()  # YAKE falls back to no stop words for a language it lacks
        if key not in self._extractors:
            # more candidates than kept: the ignored ones and near-duplicates leave room for others
            self._extractors[key] = yake.KeywordExtractor(
                lan=key, n=self.max_words, top=self.max_phrases * 2, dedup_lim=0.7)
        return self._extractors[key]

    def extract(self, text, lang=None):
        """Up to ``max_phrases`` distinct key phrases of ``text``, most characteristic first, each
        followed by its words when it has several ("worst battery", "worst", "battery"): mentions
        saying "dead battery" and "battery drains" both count for "battery"."""
        # as the sentiment engine reads it: no markup, links or @handles; hashtags as their words
        cleaned = prepare_text(text)
        if not _WORD.search(cleaned):
            return []
        kept = []
        for phrase, _score in self._extractor(lang).extract_keywords(cleaned):
            phrase = " ".join(word for word in normalize_phrase(phrase).split() if word not in self.ignored)
            if phrase and phrase not in kept and not phrase.isdigit() and len(phrase) > 1:
                kept.append(phrase)
                if len(kept) == self.max_phrases:
                    break
        terms = []
        for phrase in kept:
            for term in (phrase, *(phrase.split() if " " in phrase else ())):
                if term not in terms and not term.isdigit() and len(term) > 1:
                    terms.append(term)
        return terms

    def extract_joined(self, text, lang=None):
        """The key phrases of ``text`` as stored: joined by ``SEPARATOR`` (empty: none)."""
        return SEPARATOR.join(self.extract(text, lang))


@dataclass(frozen=True)
class TermChange:
    term: str
    count: int  # occurrences in the studied corpus (the period)
    baseline_count: int  # occurrences in the reference corpus (the baseline)
    delta: float  # weighted log-odds ratio, period against baseline
    z: float  # delta over its standard deviation

    @property
    def significant(self):
        return self.z >= Z_SIGNIFICANT


def log_odds_changes(counts, baseline_counts, prior_counts, alpha_0=None, prior_total=None):
    """The weighted log-odds ratio of each term of ``counts`` or ``baseline_counts``, with an
    informative Dirichlet prior (Monroe et al., 2008, equations 16 and 18-22).

    ``counts`` and ``baseline_counts`` (``{term: occurrences}``) are the two corpora compared (the
    negative mentions of the period and of the baseline); ``prior_counts`` is the background that
    sets each term's prior, ``alpha_w = alpha_0 * share of the term in the background`` (every
    mention of both periods, whatever its sentiment). For term ``w``, with ``n`` the total
    occurrences of a corpus::

        delta_w = log((y_w + a_w) / (n + a_0 - y_w - a_w)) - log((y'_w + a_w) / (n' + a_0 - y'_w - a_w))
        var_w ~= 1 / (y_w + a_w) + 1 / (y'_w + a_w),   z_w = delta_w / sqrt(var_w)

    ``alpha_0`` (the prior's weight) is by default as much as both corpora together, at most
    ``ALPHA_0`` occurrences: it steadies the rare terms of a small period without drowning a
    large one. ``prior_total`` is the background's size when ``prior_counts`` holds only some of
    its terms.
    A term missing from the background gets the background's smallest share. Answers the
    :class:`TermChange` of every term, highest ``z`` first (ties: more occurrences, then the term).
    """
    n_i = sum(counts.values())
    n_j = sum(baseline_counts.values())
    if alpha_0 is None:
        alpha_0 = min(ALPHA_0, float(n_i + n_j)) or 1.0
    prior_total = prior_total or sum(prior_counts.values())
    floor = min((value for value in prior_counts.values() if value > 0), default=1) / (prior_total or 1)
    changes = []
    for term in set(counts) | set(baseline_counts):
        share = prior_counts.get(term, 0) / prior_total if prior_total else 0.0
        alpha = alpha_0 * max(share, floor)
        y_i, y_j = counts.get(term, 0), baseline_counts.get(term, 0)
        # the rest of a corpus is never empty, but for a term that is all of both corpora
        rest_i = max(n_i + alpha_0 - y_i - alpha, 1e-9)
        rest_j = max(n_j + alpha_0 - y_j - alpha, 1e-9)
        delta = math.log((y_i + alpha) / rest_i) - math.log((y_j + alpha) / rest_j)
        z = delta / math.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))
        changes.append(TermChange(term, y_i, y_j, delta, z))
    changes.sort(key=lambda change: (-change.z, -change.count, change.term))
    return changes
