"""Per-item isolation of ingestion, as a property: whatever the bad items of a batch hold, the good
ones are stored exactly once, every bad one is answered and quarantined, and the answer holds no
None. Checked on generated batches through ``social.mention.ingest`` and through the webhook over
real HTTP. The runs are bounded and derandomized: the same examples on every run."""
import itertools
import json
import xmlrpc.client

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import HttpCase, new_test_user, tagged

from .test_webhook import SECRET, sign

HANDLES = ("prop_fan", "prop_critic", "prop_buyer")
ODD_STRINGS = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "\u202e\u200b", "😀" * 3, "\\N", "\t\n\r", "null", "NaN",
    "https://[x", "javascript://x.com/acme", "javascript:alert(1)", "http://", "x.com/status/1", "@", "two words",
    "0001-01-01T00:00:00+01:00", "2026-11-01T10:00:00+99:00", "9999-12-31T23:59:59-23:59", "1e400", "١٢٣",
    "u/", "in/", "<script>alert(1)</script>", "a" * 300, "x" * 3000,
]
ODD_INTEGERS = [0, -1, 2**31, -2**31 - 1, 2**63, 10**20, 10**400]
ITEM_KEYS = ("id", "network", "author", "text", "url", "posted_at", "lang", "parent_id")
AUTHOR_KEYS = ("handle", "url", "name", "followers", "email", "phone")
DEEP = "__deep__"
serial = itertools.count()


def json_values(finite):
    """Any JSON value (``finite``: no NaN nor infinity, which a JSON body cannot hold)."""
    text = st.one_of(st.text(st.characters(exclude_categories=()), max_size=40), st.sampled_from(ODD_STRINGS))
    scalars = st.one_of(
        st.none(), st.booleans(), text,
        st.integers(), st.sampled_from(ODD_INTEGERS),
        st.floats(allow_nan=not finite, allow_infinity=not finite),
        st.just(DEEP),  # replaced by a nesting of hundreds of levels
    )
    return st.recursive(scalars, lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.one_of(text, st.sampled_from(ITEM_KEYS)), children,
                                                        max_size=4)), max_leaves=12)


def good_item():
    number = next(serial)
    return {"id": f"good-{number}", "network": "x",
            "author": {"handle": HANDLES[number % len(HANDLES)], "name": "Prop Fan", "followers": number},
            "text": f"Good mention {number}", "url": f"https://x.com/prop_fan/status/{number}",
            "posted_at": "2026-11-01T10:00:00Z", "lang": "en"}


def mutated(base, changes):
    """``base`` with some keys (of the item or of its author) replaced by arbitrary values or removed."""
    item = json.loads(json.dumps(base))
    for (in_author, key), value in changes:
        target = item
        if in_author:
            if not isinstance(item.get("author"), dict):
                item["author"] = {}
            target = item["author"]
        if value is _REMOVED:
            target.pop(key, None)
        else:
            target[key] = value
    return item


_REMOVED = object()


def adversarial_items(finite):
    values = json_values(finite)
    change = st.tuples(
        st.one_of(st.tuples(st.just(False), st.sampled_from(ITEM_KEYS)),
                  st.tuples(st.just(True), st.sampled_from(AUTHOR_KEYS))),
        st.one_of(values, st.just(_REMOVED)))
    return st.one_of(
        values,  # any JSON value at all
        st.builds(lambda changes: mutated(dict(good_item(), id=f"adv-{next(serial)}"), changes),
                  st.lists(change, min_size=1, max_size=3)),
    )


def batches(finite):
    """Good items (``None`` placeholders, made when the batch is used) mixed with adversarial ones."""
    return st.lists(st.one_of(st.none(), adversarial_items(finite)), min_size=1, max_size=12)


def nested(depth):
    value = []
    for _level in range(depth):
        value = [value]
    return value


def deepen(value, depth):
    """``value`` with each ``DEEP`` string replaced by ``depth`` levels of lists (built without recursion)."""
    if value == DEEP and depth:
        return nested(depth)
    if isinstance(value, list):
        return [deepen(child, depth) for child in value]
    if isinstance(value, dict):
        return {key: deepen(child, depth) for key, child in value.items()}
    return value


def assert_no_none(case, value, path="answer"):
    case.assertIsNotNone(value, path)
    if isinstance(value, dict):
        for key, child in value.items():
            assert_no_none(case, child, f"{path}[{key!r}]")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            assert_no_none(case, child, f"{path}[{index}]")


PROPERTY_SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, database=None, print_blob=False,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                    HealthCheck.filter_too_much])


@tagged("social_crm", "post_install", "-at_install")
class TestIngestIsolationProperty(HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="prop_manager", groups="social_crm.social_crm_group_manager")
        cls.Mention = cls.env["social.mention"]

    def new_source(self):
        return self.env["social.source"].create(
            {"name": f"Property source {next(serial)}", "source_type": "webhook", "webhook_secret": SECRET,
             "network": "x"})

    def batch_items(self, batch, depth):
        """The items of a generated batch, with the indexes of the good ones."""
        items, good = [], []
        for entry in batch:
            if entry is None:
                good.append(len(items))
                items.append(good_item())
            else:
                items.append(deepen(entry, depth))
        return items, good

    def check_isolation(self, source, items, good, answer):
        """What every batch must give, whatever its bad items hold."""
        assert_no_none(self, answer)
        xmlrpc.client.dumps((answer,), methodresponse=True)  # what an XML-RPC client receives
        self.assertEqual(set(answer), {"created", "duplicates", "errors"})
        errors = {error["index"]: error for error in answer["errors"]}
        self.assertEqual(len(errors), len(answer["errors"]), "one error per bad item")
        for error in answer["errors"]:
            self.assertEqual(set(error), {"index", "id", "error"})
            self.assertIsInstance(error["error"], str)
            self.assertTrue(error["error"])
            self.assertTrue(error["id"] is False or isinstance(error["id"], str), error)
        self.assertFalse(errors.keys() & set(good), [errors[i] for i in errors.keys() & set(good)])
        self.assertEqual(answer["created"] + answer["duplicates"] + len(errors), len(items))
        stored = self.Mention.search([("source_id", "=", source.id)])
        good_ids = sorted(items[index]["id"] for index in good)
        self.assertEqual(sorted(m.external_id for m in stored if m.external_id.startswith("good-")), good_ids,
                         "every good item stored exactly once")
        self.assertEqual(len(stored), answer["created"])
        quarantined = self.env["social.mention.quarantine"].search([("source_id", "=", source.id)])
        self.assertEqual(len(quarantined), len(errors), "every bad item is quarantined")
        self.assertEqual(sorted(quarantined.mapped("external_id"), key=str),
                         sorted((error["id"] for error in errors.values()), key=str))
        self.assertEqual(sorted(quarantined.mapped("error")), sorted(error["error"] for error in errors.values()))

    @PROPERTY_SETTINGS
    @given(batch=batches(finite=False), depth=st.integers(min_value=1, max_value=5000))
    def test_ingest_isolates_every_item(self, batch, depth):
        source = self.new_source()
        items, good = self.batch_items(batch, depth)
        with self.assertNoLogs("odoo.addons.social_crm", "ERROR"):  # no item needs the last-resort guard
            answer = self.Mention.with_user(self.manager).ingest(source.id, items)
        self.check_isolation(source, items, good, answer)

    @PROPERTY_SETTINGS
    @given(batch=batches(finite=True), depth=st.integers(min_value=1, max_value=900))
    def test_webhook_isolates_every_item(self, batch, depth):
        """The same over real HTTP: each body is answered 200, the good items stored."""
        source = self.new_source()
        items, good = self.batch_items(batch, depth=0)
        # deep nesting written as text: json.dumps itself would recurse too deep
        body = json.dumps({"mentions": items}, allow_nan=False).replace(
            json.dumps(DEEP), "[" * depth + "]" * depth).encode()
        with self.assertNoLogs("odoo.addons.social_crm", "ERROR"):
            response = self.opener.post(
                f"{self.base_url()}/social_crm/webhook/{source.id}", data=body, timeout=60,
                headers={"Content-Type": "application/json", "X-Social-CRM-Signature": sign(body)})
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.check_isolation(source, items, good, response.json())
