"""The tunables of the Social CRM addons: system parameters, edited in the Settings screen (CRM
settings, blocks "Social CRM") and read here, each through its :class:`Setting`.

A missing or empty parameter means its default; a stored value that makes no sense (typed by
hand under *System Parameters*, or written over RPC) raises a :class:`~odoo.exceptions.UserError`
naming the parameter, rather than a ``ValueError`` deep in a job or a silent fallback.
"""
import logging
import math

from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
IDS = "ids"  # kind of a list of record ids separated by commas


class Setting:
    """One tunable stored as the system parameter ``key``.

    ``kind`` is ``int``, ``float``, ``bool``, ``str`` (one of ``choices``) or ``IDS``; ``default``
    answers for a missing or empty parameter. Numbers may be bounded by ``minimum`` and ``maximum``
    (inclusive) or required ``positive`` (above 0). Its field on the Settings screen is made by
    :meth:`field`, so that the screen reads and checks the value with the same rules.
    """

    def __init__(self, key, kind, default, minimum=None, maximum=None, positive=False, choices=None):
        self.key = key
        self.kind = kind
        self.default = default
        self.minimum = minimum
        self.maximum = maximum
        self.positive = positive
        self.choices = tuple(choices or ())

    def __repr__(self):
        return f"Setting({self.key!r})"

    def field(self, field_class, **kwargs):
        """A ``field_class`` field of ``res.config.settings`` stored in this setting's parameter,
        shown and saved through this setting (its ``social_setting`` attribute)."""
        if self.kind is not bool:
            kwargs.setdefault("default", self.default)
        return field_class(config_parameter=self.key, social_setting=self, **kwargs)

    def read(self, env, strict=True):  # pylint: disable=method-required-super
        """The value of the setting in ``env``'s database (its default when unset).

        An invalid stored value raises :class:`UserError`, unless not ``strict`` (the settings
        screen, which must open to let the value be fixed): then it is logged and the default answers.
        """
        raw = env["ir.config_parameter"].sudo().get_param(self.key)
        try:
            return self.parse(env, raw)
        except UserError as error:
            if strict:
                raise
            _logger.warning("%s: the default %r is shown instead", error, self.default)
            return self.default

    def parse(self, env, raw):
        """``raw`` (the text of the parameter, or a value of the settings form) as a value of the setting."""
        if raw is None or raw is False or (isinstance(raw, str) and not raw.strip()):
            return self.default
        value = self._convert(raw)
        if value is None or not self._acceptable(value):
            raise UserError(env._("The system parameter %(param)s must be %(expected)s, not %(value)r.",
                                  param=self.key, expected=self.expected(env), value=raw))
        return value

    def check(self, env, value, label):
        """Raise :class:`ValidationError` naming the field ``label`` when ``value`` may not be saved."""
        if self.kind is not bool and (value is None or value is False or value == ""):
            return  # empty: the default applies
        converted = self._convert(value)
        if converted is None or not self._acceptable(converted):
            raise ValidationError(env._("%(setting)s must be %(expected)s.", setting=label,
                                        expected=self.expected(env)))

    def expected(self, env):
        """What the setting must be, in words (for error messages)."""
        if self.kind is bool:
            return env._("true or false")
        if self.kind is str:
            return env._("one of %(choices)s", choices=", ".join(self.choices))
        if self.kind == IDS:
            return env._("record ids separated by commas")
        noun = env._("a whole number") if self.kind is int else env._("a number")
        if self.minimum is not None and self.maximum is not None:
            return env._("%(noun)s between %(minimum)s and %(maximum)s", noun=noun,
                         minimum=self.minimum, maximum=self.maximum)
        if self.positive and self.maximum is not None:
            return env._("%(noun)s above 0 and at most %(maximum)s", noun=noun, maximum=self.maximum)
        if self.positive:
            return env._("%(noun)s above 0", noun=noun)
        if self.minimum is not None:
            return env._("%(noun)s of at least %(minimum)s", noun=noun, minimum=self.minimum)
        if self.maximum is not None:
            return env._("%(noun)s of at most %(maximum)s", noun=noun, maximum=self.maximum)
        return noun

    def _convert(self, raw):
        """``raw`` converted to the kind of the setting, or None when it is not of that kind."""
        text = raw.strip() if isinstance(raw, str) else raw
        if self.kind is bool:
            if isinstance(text, bool):
                return text
            word = str(text).lower()
            return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
        if self.kind is str:
            return text if isinstance(text, str) else None
        if self.kind == IDS:
            try:
                ids = [int(part) for part in str(text).split(",") if part.strip()]
            except ValueError:
                return None
            return ids if all(record_id > 0 for record_id in ids) else None
        if isinstance(text, bool):
            return None
        try:
            value = self.kind(text)
        except (TypeError, ValueError):
            return None
        if self.kind is int and isinstance(text, float) and value != text:
            return None  # 2.5 is not a whole number
        return value if math.isfinite(value) else None

    def _acceptable(self, value):
        if self.kind is str:
            return not self.choices or value in self.choices
        if self.kind in (bool, IDS):
            return True
        if self.minimum is not None and value < self.minimum:
            return False
        if self.maximum is not None and value > self.maximum:
            return False
        return not (self.positive and value <= 0)
