import { Component, useEffect, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * Who else has this mention open, live: "Ann is viewing", "Bob is replying". On the mention's form
 * (the record itself) and in the reply composer (``mention_field="mention_id"``, ``status="replying"``,
 * where it warns that someone else is answering too).
 */
export class MentionPresence extends Component {
    static template = "social_crm.MentionPresence";
    static props = {
        ...standardWidgetProps,
        mentionField: { type: String, optional: true },
        status: { type: String, optional: true },
    };

    setup() {
        this.presence = useService("social_mention_presence");
        this.presenceState = useState(this.presence.state);
        useEffect(
            (mentionId) => {
                if (!mentionId) {
                    return;
                }
                const hold = this.presence.join(mentionId, this.props.status || "viewing");
                return () => this.presence.leave(hold);
            },
            () => [this.mentionId]
        );
    }

    get mentionId() {
        const { record, mentionField } = this.props;
        return mentionField ? record.data[mentionField]?.[0] : record.resId;
    }

    /** The others on the mention, those replying first. */
    get others() {
        const others = Object.values((this.mentionId && this.presenceState.byMention[this.mentionId]) || {});
        const replying = (other) => (other.status === "replying" ? 0 : 1);
        return others.sort((a, b) => replying(a) - replying(b) || a.name.localeCompare(b.name));
    }

    get othersReplying() {
        return this.others.filter((other) => other.status === "replying");
    }

    label(other) {
        return other.status === "replying"
            ? _t("%(name)s is replying", { name: other.name })
            : _t("%(name)s is viewing", { name: other.name });
    }

    avatar(other) {
        return `/web/image/res.partner/${other.partner_id}/avatar_128`;
    }
}

registry.category("view_widgets").add("social_mention_presence", {
    component: MentionPresence,
    extractProps: ({ attrs }) => ({ mentionField: attrs.mention_field, status: attrs.status }),
});
