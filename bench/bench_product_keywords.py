"""Product keywords: which product a mention is about, 200 products × 3 keywords, 300-character texts.

Measured in a transaction rolled back at the end (the products exist only during the run):
(a) building the company's keyword pattern (``product.template._social_keyword_matcher``, once
    per company and process, again after a change of keywords);
(b) matching texts with the cached pattern, as ingestion does (``_social_products_of_texts``),
    one text in three holding a keyword (target: 10 µs or less per mention);
(c) the same texts through the bare pattern (``lib.keywords.longest_keyword``), the floor of (b).
The first of ``--sizes`` is the number of texts (10,000 by default).
"""
import random
import timeit

from common import Timer, environment, parse_args

PRODUCTS = 200
TEXT_LENGTH = 300
ADJECTIVES = ("aurora nova zen swift lumen terra polar solar vivid echo astro orbit pixel prime ultra quantum delta "
              "sigma omega alpha beta gamma crystal velvet ember frost stone river cedar maple").split()
NOUNS = ("lamp phone laptop tablet chair desk speaker watch camera drone bike kettle router monitor mouse keyboard "
         "headset charger cable sofa").split()
FILLER = ("I bought this last week and honestly the service was slow, the packaging was damaged and support took "
          "three days to answer my email, but overall the experience was fine and I would probably recommend it to "
          "friends who need something reliable for work at home or on the road every single day. ")


def product_keywords(rng):
    names = rng.sample([(adjective, noun) for adjective in ADJECTIVES for noun in NOUNS], PRODUCTS)
    return [(f"Bench {adjective} {noun}", f"{adjective} {noun}, #{adjective}{noun}, {adjective}-{noun} pro")
            for adjective, noun in names]


def texts(rng, keywords, count):
    """``count`` texts of exactly TEXT_LENGTH characters; one in three holds a keyword somewhere."""
    result = []
    for i in range(count):
        text = FILLER[rng.randrange(0, 80):]
        if i % 3 == 0:
            cut = text.find(" ", rng.randrange(0, 200)) + 1
            text = f"{text[:cut]}{rng.choice(keywords).upper() if i % 2 else rng.choice(keywords)} {text[cut:]}"
        result.append((text * 2)[:TEXT_LENGTH])
    return result


def per_text(func, count):
    """Best of five runs, in microseconds per text."""
    return min(timeit.repeat(func, number=1, repeat=5)) / count * 1e6


def main():
    args = parse_args()
    count = args.sizes[0]
    rng = random.Random(42)
    products = product_keywords(rng)
    with environment(args.database) as env:
        from odoo.addons.social_crm_reputation.lib import keywords as lib  # noqa: PLC0415 - needs the registry

        Product = env["product.template"]
        Product.create([{"name": name, "social_keywords": words} for name, words in products])
        company_id = env.company.id
        all_keywords = [keyword for _name, words in products for keyword in lib.split_keywords(words)]
        sample = texts(rng, all_keywords, count)
        env.registry.clear_cache()
        with Timer() as build:
            pattern, product_of = Product._social_keyword_matcher(company_id)
        pairs = [(company_id, text) for text in sample]
        found = sum(1 for product_id in Product._social_products_of_texts(pairs) if product_id)
        model = per_text(lambda: Product._social_products_of_texts(pairs), count)
        bare = per_text(lambda: [lib.longest_keyword(pattern, text) for text in sample], count)
    print(f"{len(product_of)} keywords of {PRODUCTS} products, {count:,} texts of {TEXT_LENGTH} characters, "
          f"{found:,} with a product")
    print("| measure | time |")
    print("| --- | ---: |")
    print(f"| (a) pattern built (once per company) | {build.seconds * 1000:.1f} ms |")
    print(f"| (b) match, as ingestion does | {model:.2f} µs per mention ({'met' if model <= 10 else 'missed'}) |")
    print(f"| (c) match, bare pattern | {bare:.2f} µs per mention |")


if __name__ == "__main__":
    main()
