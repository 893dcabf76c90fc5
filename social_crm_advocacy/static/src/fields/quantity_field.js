import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatInteger } from "@web/views/fields/formatters";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/** The units a figure of the programme is counted in, singular and plural. */
const UNITS = {
    followers: (count, n) =>
        n === 1 ? _t("%(count)s follower", { count }) : _t("%(count)s followers", { count }),
    mentions: (count, n) =>
        n === 1 ? _t("%(count)s mention", { count }) : _t("%(count)s mentions", { count }),
    points: (count, n) =>
        n === 1 ? _t("%(count)s point", { count }) : _t("%(count)s points", { count }),
};

/**
 * A count shown as a whole number with its unit ("54,000 followers", "12 mentions", "28 points"),
 * for figures that read as bare decimals otherwise ("23.00"). Read-only.
 */
export class QuantityField extends Component {
    static template = "social_crm_advocacy.QuantityField";
    static props = { ...standardFieldProps, unit: { type: String, optional: true } };

    get label() {
        const value = this.props.record.data[this.props.name];
        if (value === false || value === null || value === undefined) {
            return "";
        }
        const whole = Math.round(value);
        const count = formatInteger(whole);
        const unit = UNITS[this.props.unit];
        return unit ? unit(count, whole) : count;
    }
}

registry.category("fields").add("social_advocacy_quantity", {
    component: QuantityField,
    displayName: _t("Count with its unit"),
    supportedTypes: ["integer", "float"],
    supportedOptions: [
        {
            label: _t("Unit"),
            name: "unit",
            type: "selection",
            choices: [
                { label: _t("Followers"), value: "followers" },
                { label: _t("Mentions"), value: "mentions" },
                { label: _t("Points"), value: "points" },
            ],
        },
    ],
    extractProps: ({ options }) => ({ unit: options.unit }),
});
