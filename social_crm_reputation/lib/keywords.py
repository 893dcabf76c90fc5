"""Which product a text is about: keywords matched as whole words by one compiled pattern.

Pure functions (standard library only): the models cache the pattern per company and feed it texts.
"""
import re

KEYWORD_SEPARATOR = ","


def split_keywords(raw):
    """The keywords of a comma-separated string, lower-cased, inner spaces collapsed, empty ones left out."""
    return [" ".join(part.split()).lower() for part in (raw or "").split(KEYWORD_SEPARATOR) if part.strip()]


def _trie_pattern(node):
    """Regular expression of a trie of characters (``{char: child}``, ``""`` marking a word's end).

    Alternatives branch on one character at a time, so a text position that starts no keyword
    costs one failed character test instead of one per keyword (a flat ``a|b|c…`` of hundreds of
    keywords is about a hundred times slower). Quantifiers are greedy: at one position the longest
    keyword is tried first, shorter ones on backtracking.
    """
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:%s)" % "|".join(branches)
    return "(?:%s)?" % body if "" in node else body


def compile_keywords(keywords):
    """One pattern finding every keyword of ``keywords`` (lower-case) as a whole word, or None if none.

    A keyword matches where it is neither preceded nor followed by a letter or digit, so
    ``#auroralamp`` and ``aurora lamp`` match in "Love my #AuroraLamp!" / "the Aurora Lamp." but
    not in "#auroralamps". The match sits in a look-ahead, so overlapping keywords are all found.
    """
    trie = {}
    for keyword in keywords:
        node = trie
        for char in keyword:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return None
    return re.compile(r"(?<!\w)(?=(%s)(?!\w))" % _trie_pattern(trie))


def longest_keyword(pattern, text):
    """The longest keyword of ``pattern`` in ``text`` (the first one on a tie), or None."""
    if pattern is None or not text:
        return None
    found = pattern.findall(text.lower())
    return max(found, key=len) if found else None


def postgres_pattern(keywords):
    """The condition of :func:`compile_keywords` as a PostgreSQL regular expression (to be matched
    with ``~*``, case-insensitively), or None without keywords: true where some keyword of
    ``keywords`` (lower-case) stands as a whole word. PostgreSQL's advanced regular expressions
    read the same trie, escapes, non-capturing groups and look-arounds as Python's."""
    trie = {}
    for keyword in keywords:
        node = trie
        for char in keyword:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return None
    return r"(?<!\w)(?:%s)(?!\w)" % _trie_pattern(trie)
