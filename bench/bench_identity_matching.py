"""Identity resolution: match N mention authors against N existing profiles and contacts.

Fixture (committed once): N contacts with e-mail and phone, each with an X profile.
Measured: ``social.identity._resolve_authors`` over N authors in batches of 1,000 (the ingestion
batch size), authors given in the usual mix of forms: handles with "@" and capitals, profile
URLs, and a share identified only by e-mail.
"""
from common import Timer, ensure_contacts_with_profiles, environment, parse_args, report

BATCH = 1000


def authors(size):
    """The forms mention authors arrive in, in a fixed mix."""
    for i in range(size):
        kind = i % 4
        if kind == 0:
            yield {"network": "x", "handle": f"@Bench{i}", "name": f"Contact {i}"}
        elif kind == 1:
            yield {"network": "x", "url": f"https://twitter.com/bench{i}?s=20"}
        elif kind == 2:
            yield {"network": "x", "handle": f"bench{i}", "email": f"Bench.Contact{i}@example.com"}
        else:
            yield {"network": "x", "handle": f"BENCH{i}", "followers": i}


def main():
    args = parse_args()
    ensure_contacts_with_profiles(args.database, max(args.sizes))
    print("| benchmark | authors | time | rate |\n| --- | ---: | ---: | ---: |")
    for size in args.sizes:
        batch_list = list(authors(size))
        with environment(args.database) as env:
            identity = env["social.identity"]
            linked = 0
            with Timer() as timer:
                for start in range(0, size, BATCH):
                    matches = identity._resolve_authors(batch_list[start:start + BATCH])
                    linked += sum(1 for match in matches if match.partner)
            assert linked == size, f"only {linked} of {size} authors matched their contact"
        report("identity matching (batches of 1,000)", size, timer.seconds, "authors")


if __name__ == "__main__":
    main()
