"""Sentiment engines of other languages measured on texts labelled by people, and their speed.

Each ``--labelled LANG=PATH`` is a set of texts in LANG labelled by people: a CSV file as the
engine's *Measure* takes it (columns ``text`` and ``label``), or a directory holding
``test_text.txt`` and ``test_labels.txt``, one text and one label per line with 0 negative,
1 neutral, 2 positive (the layout of the multilingual tweet sets of UMSAB / XLM-T). The sets are
not part of the project: bring your own, or the public ones the README names.

For each set, the company's engine of that language is measured exactly as *Measure* does it
(``social.sentiment.engine._measure``, the settings' thresholds, in a transaction rolled back):
accuracy with its 95 % Wilson interval, recall of each label, the confusion matrix. Then the speed
of scoring (texts/s) of the engine and of VADER on English texts of the same lengths.
"""
import argparse
import base64
import csv
import io
from collections import Counter
from pathlib import Path

import odoo

from common import Timer, environment

UMSAB_LABELS = {"0": "negative", "1": "neutral", "2": "positive"}
SPEED_ROUNDS = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--sizes", default="", help="unused")
    parser.add_argument("--labelled", action="append", default=[], metavar="LANG=PATH",
                        help="a labelled set of language LANG (ISO 639-1): a CSV file or a directory "
                             "with test_text.txt and test_labels.txt")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["--config", args.config, "--database", args.database, "--log-level", "warn"])
    return args


def read_set(path):
    """The set at ``path`` as the CSV file the engine's *Measure* reads (base64)."""
    path = Path(path)
    if path.is_file():
        return base64.b64encode(path.read_bytes())
    texts = (path / "test_text.txt").read_text(encoding="utf-8").split("\n")
    labels = (path / "test_labels.txt").read_text(encoding="utf-8").split("\n")
    if texts and not texts[-1] and labels and not labels[-1]:  # a final newline
        texts, labels = texts[:-1], labels[:-1]
    if len(texts) != len(labels):
        raise SystemExit(f"{path}: {len(texts)} texts but {len(labels)} labels")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["text", "label"])
    writer.writerows((text, UMSAB_LABELS[label.strip()]) for text, label in zip(texts, labels, strict=True))
    return base64.b64encode(out.getvalue().encode())


def measure(env, lang, path):
    """Measure the company's engine of ``lang`` on the set as *Measure* does (VADER itself for
    English, which has no engine record), and print the figures."""
    from odoo.addons.social_crm_reputation.lib import stats  # noqa: PLC0415 - on the addons path once configured
    from odoo.addons.social_crm_reputation.models.social_mention import get_scorer  # noqa: PLC0415

    Engine = env["social.sentiment.engine"]
    samples = Engine._file_samples(read_set(path))
    analyzers, engine = {}, Engine
    if lang != "en":
        engine = Engine.search([("lang", "=", lang), ("company_id", "=", env.company.id)], limit=1)
        if not engine:
            raise SystemExit(f"no sentiment engine for {lang!r}")
        engine._measure(samples, Path(path).name)
        analyzers = {lang: engine._get_analyzer()}
    positive, negative = env["social.mention"]._sentiment_thresholds()
    results = get_scorer().score_many([text for text, _label in samples], [lang] * len(samples),
                                      positive, negative, analyzers=analyzers)
    pairs = Counter((given, said) for (_text, given), (_score, said, _lang) in zip(samples, results, strict=True))
    right = sum(count for (given, said), count in pairs.items() if given == said)
    low, high = stats.wilson_interval(right, len(samples))
    if engine:
        assert engine.measured_count == len(samples) and engine.agree_count == right, "not what Measure found"
    name = engine.name if engine else "VADER (English)"
    print(f"\n### {name} on {Path(path).name} ({len(samples):,} texts labelled by people)\n")
    print("| Measure | Result |")
    print("|---|---|")
    print(f"| accuracy | **{right / len(samples):.1%}** (95 % interval {low:.1%} to {high:.1%}) |")
    if engine:
        print(f"| enabled by the default settings (≥ {engine.min_accuracy:.0%} on ≥ {engine.min_count} texts) | "
              f"{'yes' if engine.can_enable else 'no'} |")
    labels = ("positive", "neutral", "negative")
    for label in labels:
        total = sum(count for (given, _said), count in pairs.items() if given == label)
        if total:
            print(f"| recall of {label} | {pairs[label, label] / total:.1%} ({pairs[label, label]} of {total}) |")
    print("\n| people \\ engine | positive | neutral | negative | unscored |")
    print("|---|---|---|---|---|")
    for given in labels:
        print(f"| {given} | " + " | ".join(str(pairs[given, said]) for said in (*labels, "unscored")) + " |")
    return samples, analyzers


def speed(lang, samples, analyzers):
    from odoo.addons.social_crm_reputation.models.social_mention import get_scorer  # noqa: PLC0415

    scorer = get_scorer()
    texts = [text for text, _label in samples]
    english = ["This is a text of about the same length, and it says nothing good or bad about it"[:len(text)]
               for text in texts]
    best = {}
    for name, batch, langs, batch_analyzers in (
            (f"{lang} engine", texts, [lang] * len(texts), analyzers),
            ("VADER, English", english, ["en"] * len(texts), {})):
        seconds = []
        for _round in range(SPEED_ROUNDS):
            with Timer() as timer:
                scorer.score_many(batch, langs, analyzers=batch_analyzers)
            seconds.append(timer.seconds)
        best[name] = len(batch) / min(seconds)
    print("\n| Scoring | texts/s (best of 5) |")
    print("|---|---|")
    for name, rate in best.items():
        print(f"| {name} | {rate:,.0f} |")


def main():
    args = parse_args()
    if not args.labelled:
        print("no labelled set given (--labelled LANG=PATH): nothing to measure")
        return
    with environment(args.database) as env:
        for spec in args.labelled:
            lang, _sep, path = spec.partition("=")
            lang = lang.strip()
            samples, analyzers = measure(env, lang, path)
            if analyzers:
                speed(lang, samples, analyzers)


if __name__ == "__main__":
    main()
