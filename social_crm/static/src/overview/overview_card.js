import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";

/**
 * A card of the overview: a title (a link when ``onTitleClick`` is given), an optional subtitle
 * and its content; the sections of every addon use it, so that all cards look alike.
 */
export class OverviewCard extends Component {
    static template = "social_crm.OverviewCard";
    static props = {
        title: String,
        subtitle: { type: String, optional: true },
        icon: { type: String, optional: true },
        name: { type: String, optional: true },
        onTitleClick: { type: Function, optional: true },
        titleLinkLabel: { type: String, optional: true },
        slots: { type: Object, optional: true },
    };

    get linkLabel() {
        return this.props.titleLinkLabel || _t("View all");
    }
}

/**
 * One figure of a card: a large value and its label, a button opening the records it counts when
 * ``onClick`` is given; ``tone`` colours the value (``danger`` for what needs attention).
 */
export class OverviewFigure extends Component {
    static template = "social_crm.OverviewFigure";
    static props = {
        name: String,
        label: String,
        value: String,
        detail: { type: String, optional: true },
        tone: { type: String, optional: true },
        title: { type: String, optional: true },
        onClick: { type: Function, optional: true },
    };
}
