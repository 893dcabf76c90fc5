import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatInteger } from "@web/views/fields/formatters";
import { OverviewCard } from "@social_crm/overview/overview_card";

/** The top advocates by the points they earned over the last 12 months, each opening the contact. */
export class AdvocatesSection extends Component {
    static template = "social_crm_advocacy.OverviewAdvocatesSection";
    static components = { OverviewCard };
    static props = { data: Object, openAction: Function, reload: Function };

    get advocates() {
        return this.props.data.advocates;
    }

    points(advocate) {
        return _t("%(points)s points", { points: formatInteger(advocate.points) });
    }

    avatar(advocate) {
        return `/web/image/res.partner/${advocate.partner_id}/avatar_128`;
    }

    openAdvocate(advocate) {
        return this.props.openAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: advocate.partner_id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

registry
    .category("social_crm_overview_sections")
    .add("advocates", { component: AdvocatesSection }, { sequence: 40 });
