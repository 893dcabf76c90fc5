"""Language tags of mentions and rules, reduced to what is compared: the primary language."""

UNDETERMINED_LANGUAGES = frozenset({"und", "zxx", "mul", "mis"})
"""ISO 639-2 codes meaning "no usable language"."""


def primary_language(lang):
    """The primary subtag of a language tag, lower-cased ("en-GB", "FR_ca", " fr " -> "en", "fr",
    "fr"), or None when it names no language: empty values, ISO 639-2's "no language" codes (und,
    zxx, mul, mis) and the local-use range qaa-qtz, where X/Twitter puts codes of its own ("qme":
    media only, "qht": hashtags only...)."""
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    if not code or code in UNDETERMINED_LANGUAGES or "qaa" <= code <= "qtz":
        return None
    return code
