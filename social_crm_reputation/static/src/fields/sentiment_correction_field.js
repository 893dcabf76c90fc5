import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const CHOICES = [
    { value: "positive", icon: "fa-smile-o", method: "action_sentiment_positive" },
    { value: "neutral", icon: "fa-meh-o", method: "action_sentiment_neutral" },
    { value: "negative", icon: "fa-frown-o", method: "action_sentiment_negative" },
];

/**
 * The sentiment of a mention as three faces, the current one in colour, each one click away: a
 * click records the team's sentiment (the engine's own label included: an agreement), the undo
 * withdraws the team's latest. One narrow column of the inbox list, label and buttons at once.
 */
export class SentimentCorrectionField extends Component {
    static template = "social_crm_reputation.SentimentCorrectionField";
    static props = { ...standardFieldProps };

    setup() {
        this.orm = useService("orm");
    }

    get data() {
        return this.props.record.data;
    }

    get visible() {
        return this.data.direction !== "outbound";
    }

    get corrected() {
        return Boolean(this.data.sentiment_correction_id);
    }

    get labels() {
        return Object.fromEntries(this.props.record.fields[this.props.name].selection);
    }

    get engineLabel() {
        return this.corrected ? this.data.sentiment_engine_label || "unscored" : this.props.record.data[this.props.name];
    }

    get title() {
        const label = this.props.record.data[this.props.name];
        if (!label || label === "unscored") {
            return _t("The engine leaves this mention unscored: click its sentiment");
        }
        if (this.corrected) {
            return _t("%(label)s, set by the team (the engine said %(engine)s)", {
                label: this.labels[label],
                engine: this.labels[this.engineLabel] || this.engineLabel,
            });
        }
        return _t("%(label)s, by the engine: click to confirm or correct", { label: this.labels[label] });
    }

    get choices() {
        const label = this.props.record.data[this.props.name];
        return CHOICES.map((choice) => ({
            ...choice,
            active: choice.value === label,
            title: _t("The team says: %(label)s", { label: this.labels[choice.value] }),
        }));
    }

    async call(method) {
        const record = this.props.record;
        if (!record.resId) {
            return; // a mention being created has no sentiment yet
        }
        await record.save();
        await this.orm.call(record.resModel, method, [[record.resId]]);
        await record.load();
    }
}

registry.category("fields").add("social_sentiment_correction", {
    component: SentimentCorrectionField,
    displayName: _t("Sentiment, corrected in one click"),
    supportedTypes: ["selection"],
    fieldDependencies: [
        { name: "direction", type: "selection" },
        { name: "sentiment_correction_id", type: "many2one", relation: "social.sentiment.correction" },
        { name: "sentiment_engine_label", type: "selection" },
    ],
});
