import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatDateTime } from "@web/core/l10n/dates";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const { DateTime } = luxon;
// states in which a mention no longer waits for an answer: its deadline is not shown
const CLOSED_STATES = ["answered", "ignored"];

function duration(minutes) {
    if (minutes >= 48 * 60) {
        return _t("%(days)s days", { days: Math.floor(minutes / 1440) });
    }
    if (minutes >= 10 * 60) {
        // past ten hours the minutes say little and crowd the inbox's column
        return _t("%(hours)s h", { hours: Math.round(minutes / 60) });
    }
    if (minutes >= 60) {
        const rest = minutes % 60;
        return rest
            ? _t("%(hours)s h %(minutes)s min", { hours: Math.floor(minutes / 60), minutes: rest })
            : _t("%(hours)s h", { hours: minutes / 60 });
    }
    return _t("%(minutes)s min", { minutes });
}

/**
 * The time left to a mention's response deadline ("3 h 20 min left", "Overdue by 2 h"), coloured
 * as it gets close; the deadline itself in the tooltip. Nothing once the mention is closed.
 */
export class ResponseDueField extends Component {
    static template = "social_crm.ResponseDueField";
    static props = { ...standardFieldProps };

    get info() {
        const due = this.props.record.data[this.props.name];
        if (!due || CLOSED_STATES.includes(this.props.record.data.state)) {
            return null;
        }
        const minutes = Math.round(due.diff(DateTime.now(), "minutes").minutes);
        const title = _t("Answer by %(deadline)s", { deadline: formatDateTime(due) });
        if (minutes < 0) {
            return { label: _t("Overdue by %(time)s", { time: duration(-minutes) }), color: "danger", title };
        }
        return {
            label: _t("%(time)s left", { time: duration(minutes) }),
            color: minutes < 60 ? "warning" : "info",
            title,
        };
    }
}

registry.category("fields").add("social_response_due", {
    component: ResponseDueField,
    displayName: _t("Time left to answer"),
    supportedTypes: ["datetime"],
});
