from . import test_shop_reviews
