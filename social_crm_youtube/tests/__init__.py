from . import test_youtube_ingest
