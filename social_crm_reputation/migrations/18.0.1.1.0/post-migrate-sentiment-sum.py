"""Fill the sentiment total of the brand series' rows stored before it existed: a row's mean score
times its scored mentions, so that grouped rows give the mean over all their mentions at once."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE social_reputation_daily SET sentiment_sum = sentiment_avg * scored_count WHERE sentiment_sum IS NULL
    """)
