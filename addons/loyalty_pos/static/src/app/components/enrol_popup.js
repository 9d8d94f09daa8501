import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";

export class LoyaltyEnrolPopup extends Component {
    static template = "loyalty_pos.LoyaltyEnrolPopup";
    static components = { Dialog };
    static props = { getPayload: Function, close: Function };

    setup() {
        this.state = useState({
            card_number: "",
            name: "",
            birth_date: "",
            phone: "",
            email: "",
            email_consent: false,
            sms_consent: false,
        });
    }
    confirm() {
        this.props.getPayload({ ...this.state });
        this.props.close();
    }
}
