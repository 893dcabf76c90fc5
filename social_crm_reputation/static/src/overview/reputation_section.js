import { Component } from "@odoo/owl";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatInteger, formatPercentage } from "@web/views/fields/formatters";
import { OverviewCard } from "@social_crm/overview/overview_card";

/** A net sentiment (-1..1) with its sign, two decimals: "+0.23", "−0.40", "0.00". */
export function formatNetSentiment(value) {
    const rounded = Math.round(value * 100) / 100;
    const text = formatFloat(Math.abs(rounded), { digits: [false, 2] });
    return rounded > 0 ? `+${text}` : rounded < 0 ? `−${text}` : text;
}

/**
 * The brand's net sentiment over the last 30 days with its 95 % interval, the customers it rests on
 * and whether that is anecdotal: a figure is shown with how far it can be trusted.
 */
export class ReputationSection extends Component {
    static template = "social_crm_reputation.OverviewReputationSection";
    static components = { OverviewCard };
    static props = { data: Object, openAction: Function, reload: Function };

    get reputation() {
        return this.props.data.reputation;
    }

    get net() {
        const { net_sentiment, net_sentiment_low, net_sentiment_high } = this.reputation;
        // coloured only when the whole interval is on one side of neutral
        const tone = net_sentiment_low > 0 ? "success" : net_sentiment_high < 0 ? "danger" : "body";
        return {
            value: formatNetSentiment(net_sentiment),
            interval: _t("95 % interval: %(low)s to %(high)s", {
                low: formatNetSentiment(net_sentiment_low),
                high: formatNetSentiment(net_sentiment_high),
            }),
            tone,
        };
    }

    get shares() {
        const { positive, negative, scored } = this.reputation;
        const neutral = scored - positive - negative;
        return [
            { name: "positive", label: _t("Positive"), count: positive, colour: "bg-success" },
            { name: "neutral", label: _t("Neutral"), count: neutral, colour: "bg-secondary" },
            { name: "negative", label: _t("Negative"), count: negative, colour: "bg-danger" },
        ].map((share) => ({ ...share, width: (100 * share.count) / scored, text: formatInteger(share.count) }));
    }

    get evidence() {
        const { scored, customers, customer_base, customer_share } = this.reputation;
        const mentions = _t("%(scored)s scored mentions from %(customers)s contacts.", {
            scored: formatInteger(scored),
            customers: formatInteger(customers),
        });
        if (!customer_base) {
            return _t("%(mentions)s No customer bought in the last 12 months to compare them with.", { mentions });
        }
        return _t("%(mentions)s Among them %(speaking)s of the %(base)s active customers (%(share)s).", {
            mentions,
            speaking: formatInteger(Math.round(customer_share * customer_base)),
            base: formatInteger(customer_base),
            share: formatPercentage(customer_share, { digits: [false, 1] }),
        });
    }

    get anecdotalReason() {
        const { min_customers, min_share } = this.reputation;
        return _t("Fewer than %(customers)s customers, or less than %(share)s of the active customer base: the figure may not stand for the customers as a whole.", {
            customers: formatInteger(min_customers),
            share: formatPercentage(min_share),
        });
    }
}

/** The latest open alerts, each with the text of its mention and a Reply button. */
export class AlertsSection extends Component {
    static template = "social_crm_reputation.OverviewAlertsSection";
    static components = { OverviewCard };
    static props = { data: Object, openAction: Function, reload: Function };

    setup() {
        this.actionService = useService("action");
    }

    get alerts() {
        return this.props.data.alerts;
    }

    get moreLabel() {
        return _t("All open alerts (%(count)s)", { count: formatInteger(this.alerts.count) });
    }

    date(alert) {
        return formatDate(deserializeDate(alert.date));
    }

    reach(mention) {
        return _t("%(reach)s followers", { reach: formatInteger(mention.reach) });
    }

    openAlert(alert) {
        return this.props.openAction({
            type: "ir.actions.act_window",
            res_model: "social.reputation.alert",
            res_id: alert.id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    /** The reply composer of the alert's mention, as the mention's own Reply button opens it. */
    reply(alert) {
        return this.actionService.doActionButton({
            type: "object",
            name: "action_reply",
            resModel: "social.mention",
            resId: alert.mention.id,
            context: { social_reply_close: true }, // back on the overview once answered
            onClose: () => this.props.reload(),
        });
    }
}

/**
 * Why the figures move: the themes that rose in the last week's negative mentions, how far the
 * sentiment engine agrees with the team, and the share of voice against the competitors.
 */
export class WhySection extends Component {
    static template = "social_crm_reputation.OverviewWhySection";
    static components = { OverviewCard };
    static props = { data: Object, openAction: Function, reload: Function };

    get why() {
        return this.props.data.why;
    }

    get themesSubtitle() {
        return _t("Rising in the negative mentions of the last %(days)s days", { days: this.why.theme_days });
    }

    themeLine(theme) {
        return _t("%(count)s negative mentions, z = %(z)s", {
            count: formatInteger(theme.count),
            z: formatFloat(theme.z, { digits: [false, 1] }),
        });
    }

    get agreement() {
        const agreement = this.why.agreement;
        if (!agreement) {
            return null;
        }
        if (!agreement.measured) {
            return {
                tone: "muted",
                text: _t("Not measured yet: %(scored)s of the %(needed)s corrections it takes.", {
                    scored: formatInteger(agreement.scored || 0),
                    needed: formatInteger(agreement.min_scored),
                }),
            };
        }
        return {
            tone: agreement.low_agreement ? "danger" : "body",
            value: formatPercentage(agreement.accuracy, { digits: [false, 0] }),
            text: _t("95 % interval %(low)s to %(high)s, on %(scored)s corrections", {
                low: formatPercentage(agreement.low, { digits: [false, 0] }),
                high: formatPercentage(agreement.high, { digits: [false, 0] }),
                scored: formatInteger(agreement.scored),
            }),
            low: agreement.low_agreement,
        };
    }

    get competitors() {
        return this.why.competitors.map((brand) => ({
            ...brand,
            share: formatPercentage(brand.share_of_voice, { digits: [false, 1] }),
            width: 100 * brand.share_of_voice,
            net: brand.scored ? formatNetSentiment(brand.net_sentiment) : "–",
        }));
    }
}

const sections = registry.category("social_crm_overview_sections");
sections.add("reputation", { component: ReputationSection }, { sequence: 20 });
sections.add("alerts", { component: AlertsSection }, { sequence: 30 });
sections.add("why", { component: WhySection }, { sequence: 25 });
